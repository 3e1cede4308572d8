package elbv2

import (
	"strconv"
	"time"

	"github.com/lbcloud/lbcloud/elbserver/query"
	"github.com/lbcloud/lbcloud/elbserver/store"
)

// Target health states and reasons.
const (
	healthInitial     = "initial"
	healthHealthy     = "healthy"
	healthUnused      = "unused"
	healthDraining    = "draining"
	healthUnavailable = "unavailable"
)

type xmlTarget struct {
	ID           string `xml:"Id"`
	Port         int    `xml:"Port,omitempty"`
	Zone         string `xml:"AvailabilityZone,omitempty"`
	QuicServerID string `xml:"QuicServerId,omitempty"`
}

type xmlTargetHealth struct {
	State       string `xml:"State"`
	Reason      string `xml:"Reason,omitempty"`
	Description string `xml:"Description,omitempty"`
}

type xmlAnomaly struct {
	Result             string `xml:"Result"`
	MitigationInEffect string `xml:"MitigationInEffect"`
}

type xmlHealthDescription struct {
	Target                 xmlTarget       `xml:"Target"`
	HealthCheckPort        string          `xml:"HealthCheckPort,omitempty"`
	TargetHealth           xmlTargetHealth `xml:"TargetHealth"`
	AnomalyDetection       *xmlAnomaly     `xml:"AnomalyDetection,omitempty"`
	AdministrativeOverride xmlTargetHealth `xml:"AdministrativeOverride"`
}

type targetHealthResult struct {
	Descriptions []xmlHealthDescription `xml:"TargetHealthDescriptions>member"`
}

func (r *Room) describeTargetHealth(c *query.Call) (any, error) {
	arn, err := c.Params.Required("TargetGroupArn")
	if err != nil {
		return nil, err
	}
	specs, err := parseTargets(c.Params, false)
	if err != nil {
		return nil, err
	}
	include, _, err := c.Params.StrList("Include")
	if err != nil {
		return nil, err
	}
	anomalies := false
	for _, v := range include {
		if !oneOf(v, "AnomalyDetection", "All") {
			return nil, enumError("Include", v, "AnomalyDetection", "All")
		}
		anomalies = true
	}
	now := r.env.Now().UTC()
	res := &targetHealthResult{Descriptions: []xmlHealthDescription{}}
	err = r.view(c, func(p *store.Part) error {
		tg, err := getTG(p, arn)
		if err != nil {
			return err
		}
		add := func(spec targetSpec, t *store.V2Target) error {
			probe, err := store.V2Health.Get(p, store.V2TargetKey(tgKey(tg), spec.ID, spec.Port))
			if err != nil {
				return err
			}
			res.Descriptions = append(res.Descriptions, healthXML(tg, spec, t, probe, now, anomalies))
			return nil
		}
		if len(specs) > 0 {
			for i := range specs {
				if err := r.resolveTarget(p, tg, &specs[i], false); err != nil {
					return err
				}
				t, err := store.V2Targets.Get(p, store.V2TargetKey(tgKey(tg), specs[i].ID, specs[i].Port))
				if err != nil {
					return err
				}
				if err := add(specs[i], t); err != nil {
					return err
				}
			}
			return nil
		}
		return store.V2Targets.ForEachPrefix(p, tgKey(tg)+"|", "", func(_ string, t *store.V2Target) (bool, error) {
			if drained(tg, t, now) {
				return true, nil
			}
			return true, add(targetSpec{ID: t.ID, Port: t.Port, Zone: t.Zone, QuicServerID: t.QuicServerID}, t)
		})
	})
	if err != nil {
		return nil, err
	}
	return res, nil
}

func healthXML(tg *tgRec, spec targetSpec, t *store.V2Target, probe *store.V2TargetHealth, now time.Time, anomalies bool) xmlHealthDescription {
	d := xmlHealthDescription{
		Target:                 xmlTarget{ID: spec.ID, Port: spec.Port, Zone: spec.Zone, QuicServerID: spec.QuicServerID},
		TargetHealth:           targetState(tg, t, probe, now),
		AdministrativeOverride: xmlTargetHealth{"no_override", "AdministrativeOverride.NoOverride", "No override is currently active on target"},
	}
	if t != nil {
		d.Target.Zone, d.Target.QuicServerID = t.Zone, t.QuicServerID
	}
	if tg.TargetType == targetLambda {
		d.Target.Zone = "all"
	} else if d.TargetHealth.State != healthUnused {
		d.HealthCheckPort = tg.HealthCheck.Port
		if d.HealthCheckPort == trafficPort {
			d.HealthCheckPort = strconv.Itoa(spec.Port)
		}
	}
	if anomalies && albTargets(tg) {
		d.AnomalyDetection = &xmlAnomaly{Result: "normal", MitigationInEffect: "no"}
	}
	return d
}

// targetState is a target's health: from its registration, its group's use and health
// check, the data plane's latest probe when there is one since the target was registered and
// its group put in use, else AWS's life cycle played from that moment: registering for one
// health check interval, checking until HealthyThreshold intervals have passed, then
// healthy.
func targetState(tg *tgRec, t *store.V2Target, probe *store.V2TargetHealth, now time.Time) xmlTargetHealth {
	switch {
	case t == nil || drained(tg, t, now):
		return xmlTargetHealth{healthUnused, "Target.NotRegistered", "Target is not registered to the target group"}
	case !t.Deregistered.IsZero():
		return xmlTargetHealth{healthDraining, "Target.DeregistrationInProgress", "Target deregistration is in progress"}
	case tg.LoadBalancer == "":
		return xmlTargetHealth{healthUnused, "Target.NotInUse", "Given target group is not configured to receive traffic from ELB"}
	case !tg.HealthCheck.Enabled:
		return xmlTargetHealth{healthUnavailable, "Target.HealthCheckDisabled", "Health checks are disabled"}
	}
	start := t.Registered
	if tg.InUseSince.After(start) {
		start = tg.InUseSince
	}
	if probe != nil && !probe.Updated.Before(start) {
		return xmlTargetHealth{probe.State, probe.Reason, probe.Description}
	}
	interval := time.Duration(tg.HealthCheck.Interval) * time.Second
	switch elapsed := now.Sub(start); {
	case elapsed < interval:
		return xmlTargetHealth{healthInitial, "Elb.RegistrationInProgress", "Target registration is in progress"}
	case elapsed < time.Duration(tg.HealthCheck.Healthy)*interval:
		return xmlTargetHealth{healthInitial, "Elb.InitialHealthChecking", "Initial health checks in progress"}
	}
	return xmlTargetHealth{State: healthHealthy}
}
