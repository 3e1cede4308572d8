package elbv2

import (
	"slices"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Capacity reservations. A reservation is pending for capacityPending after each change,
// then provisioned, its units spread evenly over the balancer's zones. Reserved capacity may
// be decreased twice a day, and changed only once the previous change is provisioned.
const (
	capacityPending      = time.Minute
	decreasesPerDay      = 2
	minCapacityUnitsALB  = 100
	maxCapacityUnitsALB  = 15000
	maxCapacityUnitsNLB  = 45000
	capacityProvisioned  = "provisioned"
	capacityPendingState = "pending"
)

type xmlCapacityUnits struct {
	CapacityUnits int `xml:"CapacityUnits"`
}

type xmlZoneCapacity struct {
	State struct {
		Code string `xml:"Code"`
	} `xml:"State"`
	AvailabilityZone       string  `xml:"AvailabilityZone"`
	EffectiveCapacityUnits float64 `xml:"EffectiveCapacityUnits"`
}

type capacityResult struct {
	LastModifiedTime            string            `xml:"LastModifiedTime,omitempty"`
	DecreaseRequestsRemaining   int               `xml:"DecreaseRequestsRemaining"`
	MinimumLoadBalancerCapacity *xmlCapacityUnits `xml:"MinimumLoadBalancerCapacity,omitempty"`
	CapacityReservationState    []xmlZoneCapacity `xml:"CapacityReservationState>member"`
}

// recentDecreases keeps the decreases of the last day.
func recentDecreases(cp *store.V2Capacity, now time.Time) {
	cp.Decreases = slices.DeleteFunc(cp.Decreases, func(t time.Time) bool { return now.Sub(t) >= 24*time.Hour })
}

func capacityXML(lb *lbRec, now time.Time) *capacityResult {
	cp := lb.Capacity
	recentDecreases(&cp, now)
	res := &capacityResult{DecreaseRequestsRemaining: decreasesPerDay - len(cp.Decreases), CapacityReservationState: []xmlZoneCapacity{}}
	if !cp.Modified.IsZero() {
		res.LastModifiedTime = isoTime(cp.Modified)
	}
	if cp.Units == 0 {
		return res
	}
	res.MinimumLoadBalancerCapacity = &xmlCapacityUnits{cp.Units}
	pending := now.Before(cp.Modified.Add(capacityPending))
	for _, z := range lb.Zones {
		zc := xmlZoneCapacity{AvailabilityZone: z.Zone}
		zc.State.Code = capacityProvisioned
		if pending {
			zc.State.Code = capacityPendingState
		} else {
			zc.EffectiveCapacityUnits = float64(cp.Units) / float64(len(lb.Zones))
		}
		res.CapacityReservationState = append(res.CapacityReservationState, zc)
	}
	return res
}

func (r *Room) describeCapacityReservation(c *query.Call) (any, error) {
	var res *capacityResult
	err := r.view(c, func(p *store.Part) error {
		lb, err := mustLB(p, c.Params)
		if err == nil {
			res = capacityXML(lb, r.env.Now().UTC())
		}
		return err
	})
	return res, err
}

func (r *Room) modifyCapacityReservation(c *query.Call) (any, error) {
	units, unitsGiven, err := c.Params.IntOpt("MinimumLoadBalancerCapacity.CapacityUnits", 1, 1<<30)
	if err != nil {
		return nil, err
	}
	reset, resetGiven, err := c.Params.BoolOpt("ResetCapacityReservation")
	if err != nil {
		return nil, err
	}
	switch {
	case unitsGiven == resetGiven:
		return nil, query.Validation("Specify either MinimumLoadBalancerCapacity or ResetCapacityReservation")
	case resetGiven && !reset:
		return nil, query.Validation("ResetCapacityReservation can only be true")
	}
	now := r.env.Now().UTC()
	var res *capacityResult
	err = r.updateLB(c, func(p *store.Part, lb *lbRec) error {
		if err := r.checkCapacity(p, lb, units, unitsGiven); err != nil {
			return err
		}
		cp := &lb.Capacity
		recentDecreases(cp, now)
		if cp.Units > 0 && now.Before(cp.Modified.Add(capacityPending)) {
			return sender("CapacityReservationPending", "The previous capacity reservation of '%s' is still pending", lb.ARN)
		}
		if units < cp.Units {
			if len(cp.Decreases) >= decreasesPerDay {
				return sender("CapacityDecreaseRequestLimitExceeded", "The capacity of '%s' can be decreased %d times a day", lb.ARN, decreasesPerDay)
			}
			cp.Decreases = append(cp.Decreases, now)
		}
		cp.Units, cp.Modified = units, now
		res = capacityXML(lb, now)
		return nil
	})
	return res, err
}

// checkCapacity: reservations are for Application Load Balancers and for Network Load
// Balancers without TLS listeners, within the bounds of each.
func (r *Room) checkCapacity(p *store.Part, lb *lbRec, units int, unitsGiven bool) error {
	switch lb.Type {
	case typeGWLB:
		return errNotPermitted("Capacity reservations are not supported for Gateway Load Balancers")
	case typeNLB:
		tls := false
		err := store.V2Listeners.ForEachPrefix(p, lbKey(lb)+"/", "", func(_ string, l *store.V2Listener) (bool, error) {
			tls = l.Protocol == protoTLS
			return !tls, nil
		})
		if err != nil || tls {
			return firstErr(err, errNotPermitted("Capacity reservations are not supported for Network Load Balancers with TLS listeners"))
		}
	}
	if !unitsGiven {
		return nil
	}
	lo, hi := minCapacityUnitsALB, maxCapacityUnitsALB
	if lb.Type == typeNLB {
		lo, hi = 1, maxCapacityUnitsNLB
	}
	if units < lo || units > hi {
		return sender("CapacityUnitsLimitExceeded", "Capacity units must be from %d to %d for a %s load balancer", lo, hi, lb.Type)
	}
	return nil
}
