package dataplane

import (
	"math/rand/v2"
	"net/http"
	"time"
)

// Stickiness cookie names, as the balancers issue them.
const (
	cookieALB       = "AWSALB"
	cookieALBCORS   = "AWSALBCORS"
	cookieALBApp    = "AWSALBAPP-0"
	cookieALBTG     = "AWSALBTG"
	cookieALBTGCORS = "AWSALBTGCORS"
	cookieELB       = "AWSELB"
)

// stickyCookie renders the Set-Cookie value that sends a client back to the target with token.
func stickyCookie(st Stickiness, token string) string {
	c := http.Cookie{Name: cookieALB, Value: token, Path: "/"}
	switch st.Type {
	case StickyAppCookie:
		c.Name = cookieALBApp
		c.Expires = time.Now().Add(st.Duration)
	case StickyLBCookie:
		c.Expires = time.Now().Add(st.Duration)
	case StickyClassicLB:
		c.Name = cookieELB
		c.MaxAge = int(st.Duration / time.Second) // zero: a browser-session cookie
	case StickyClassicApp:
		c.Name = cookieELB
	}
	return c.String()
}

// corsCookie is the SameSite=None twin ALB sets beside its cookies for cross-origin requests.
func corsCookie(name, token string, d time.Duration) string {
	c := http.Cookie{Name: name, Value: token, Path: "/", Expires: time.Now().Add(d),
		SameSite: http.SameSiteNoneMode, Secure: true}
	return c.String()
}

func cookieValue(r *http.Request, name string) string {
	c, err := r.Cookie(name)
	if err != nil {
		return ""
	}
	return c.Value
}

// pickHTTP chooses the target of an HTTP request, honouring the group's stickiness, and sets
// the stickiness cookies on w. It returns nil when the group has no target to offer.
func (g *group) pickHTTP(w http.ResponseWriter, r *http.Request, crossZone bool) *target {
	st := g.settings.Load().Stickiness
	v := g.view.Load()
	var t *target
	switch st.Type {
	case StickyLBCookie:
		t = v.byToken[cookieValue(r, cookieALB)]
	case StickyAppCookie:
		t = v.byToken[cookieValue(r, cookieALBApp)]
	case StickyClassicLB:
		t = v.byToken[cookieValue(r, cookieELB)]
		if t != nil {
			return t // Classic refreshes nothing while the cookie is valid
		}
	case StickyClassicApp:
		// Sticky only while the application's own cookie is still sent.
		if cookieValue(r, st.CookieName) != "" {
			t = v.byToken[cookieValue(r, cookieELB)]
		}
	}
	if t == nil {
		t = g.pickFrom(v, crossZone)
		if t == nil {
			return nil
		}
	}
	switch st.Type {
	case StickyLBCookie:
		h := w.Header()
		h.Add("Set-Cookie", stickyCookie(st, t.token))
		h.Add("Set-Cookie", corsCookie(cookieALBCORS, t.token, st.Duration))
	case StickyClassicLB:
		w.Header().Add("Set-Cookie", stickyCookie(st, t.token))
	}
	return t
}

// pickGroup chooses among a forward action's weighted groups; with group stickiness a client
// returns to the group its AWSALBTG cookie names.
func pickGroup(w http.ResponseWriter, r *http.Request, fw *forwardAction) *group {
	if len(fw.groups) == 1 {
		return fw.groups[0].g
	}
	var g *group
	if fw.sticky > 0 {
		if tok := cookieValue(r, cookieALBTG); tok != "" {
			for _, wg := range fw.groups {
				if wg.g.token == tok && wg.weight > 0 {
					g = wg.g
				}
			}
		}
	}
	if g == nil {
		g = fw.draw()
	}
	if fw.sticky > 0 {
		h := w.Header()
		c := http.Cookie{Name: cookieALBTG, Value: g.token, Path: "/", Expires: time.Now().Add(fw.sticky)}
		h.Add("Set-Cookie", c.String())
		h.Add("Set-Cookie", corsCookie(cookieALBTGCORS, g.token, fw.sticky))
	}
	return g
}

// draw picks one of the action's groups at random, in proportion to the weights.
func (fw *forwardAction) draw() *group {
	if len(fw.groups) == 1 {
		return fw.groups[0].g
	}
	n := rand.IntN(fw.total)
	for _, wg := range fw.groups {
		if n < wg.weight {
			return wg.g
		}
		n -= wg.weight
	}
	return fw.groups[len(fw.groups)-1].g
}
