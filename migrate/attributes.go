package migrate

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ELBv2 attribute ranges (docTGAttributes, docLBAttributes and the ListenerAttribute reference).
const (
	maxDelaySeconds            = 3600
	minALBIdle, maxALBIdle     = 1, 4000
	minTCPIdle, maxTCPIdle     = 60, 6000
	tlsIdleSeconds             = 350
	desyncAttribute            = "elb.http.desyncmitigationmode"
	accessLogIntervalV2        = 5 // minutes: ELBv2 publishes access logs every 5 minutes
	classicDefaultIdleSeconds  = 60
	delayAttribute             = "deregistration_delay.timeout_seconds"
	crossZoneAttribute         = "load_balancing.cross_zone.enabled"
	idleAttribute              = "idle_timeout.timeout_seconds"
	tcpIdleAttribute           = "tcp.idle_timeout.seconds"
	desyncAttributeV2          = "routing.http.desync_mitigation_mode"
	accessLogsEnabledAttribute = "access_logs.s3.enabled"
	accessLogsBucketAttribute  = "access_logs.s3.bucket"
	accessLogsPrefixAttribute  = "access_logs.s3.prefix"
)

// attributes carries the Classic balancer's attributes.
func (b *builder) attributes() {
	a := b.c.Attributes
	b.draining()
	idle := classicDefaultIdleSeconds
	if a.IdleTimeout > 0 {
		idle = int(a.IdleTimeout / time.Second)
	}
	for _, lb := range b.lbs {
		b.idleTimeout(lb, idle)
		b.accessLogs(lb)
		b.crossZone(lb)
	}
	if mode := a.Additional[desyncAttribute]; mode != "" {
		for _, lb := range b.lbs {
			row := Setting{Setting: "desync mitigation mode (" + kindName(lb) + ")", Classic: mode, Source: docDesync}
			if lb.Type == typeApplication {
				lb.Attributes[desyncAttributeV2] = mode
				row.ELBv2, row.Status = desyncAttributeV2+"="+mode, Carried
			} else {
				row.Status = NotCarried
				row.Reason = "a Network Load Balancer does not parse HTTP requests, so there is no desync to mitigate"
			}
			b.row(row)
		}
	}
}

// draining carries connection draining as every group's deregistration delay: off is a delay
// of 0, which closes connections at once as Classic then does.
func (b *builder) draining() {
	d := b.c.Attributes.ConnectionDraining
	if d == nil {
		return
	}
	row := Setting{Setting: "connection draining", Status: Carried, Source: docDraining, Classic: "off"}
	delay := 0
	if d.Enabled {
		delay = int(d.Timeout / time.Second)
		row.Classic = "on, " + seconds(delay)
		if delay > maxDelaySeconds {
			row.Status, row.Reason = Adjusted, fmt.Sprintf("ELBv2 caps the deregistration delay at %d s", maxDelaySeconds)
			delay = maxDelaySeconds
		}
	}
	b.allGroups(func(_ *Balancer, tg *TargetGroup) { tg.Attributes[delayAttribute] = strconv.Itoa(delay) })
	row.ELBv2 = delayAttribute + "=" + strconv.Itoa(delay) + " on every target group"
	b.row(row)
}

// idleTimeout carries the idle timeout: an ALB's balancer attribute, an NLB's TCP listeners'
// attribute; an NLB's TLS listeners keep their fixed 350 s.
func (b *builder) idleTimeout(lb *Balancer, idle int) {
	row := Setting{Setting: "idle timeout (" + kindName(lb) + ")", Classic: seconds(idle), Status: Carried}
	if lb.Type == typeApplication {
		v := min(max(idle, minALBIdle), maxALBIdle)
		lb.Attributes[idleAttribute] = strconv.Itoa(v)
		row.ELBv2, row.Source = idleAttribute+"="+strconv.Itoa(v), docALBIdle
		b.row(row)
		return
	}
	row.Source = docNLBIdle
	v := min(max(idle, minTCPIdle), maxTCPIdle)
	var tcp, tls []string
	for i := range lb.Listeners {
		l := &lb.Listeners[i]
		if l.Protocol == protoTCP {
			l.Attributes = map[string]string{tcpIdleAttribute: strconv.Itoa(v)}
			tcp = append(tcp, strconv.Itoa(l.Port))
		} else {
			tls = append(tls, strconv.Itoa(l.Port))
		}
	}
	var notes []string
	if len(tcp) > 0 {
		row.ELBv2 = tcpIdleAttribute + "=" + strconv.Itoa(v) + " on TCP listeners " + strings.Join(tcp, ", ")
		if v != idle {
			row.Status = Adjusted
			notes = append(notes, fmt.Sprintf("an NLB's TCP idle timeout is %d-%d s: %s becomes %s", minTCPIdle, maxTCPIdle, seconds(idle), seconds(v)))
		}
	}
	if len(tls) > 0 {
		if idle != tlsIdleSeconds {
			row.Status = Adjusted
		}
		notes = append(notes, fmt.Sprintf("an NLB's TLS listeners (%s) have a fixed idle timeout of %s", strings.Join(tls, ", "), seconds(tlsIdleSeconds)))
	}
	row.Reason = strings.Join(notes, "; ")
	b.row(row)
}

// accessLogs carries access logging to the same bucket and prefix.
func (b *builder) accessLogs(lb *Balancer) {
	l := b.c.Attributes.AccessLog
	if l == nil {
		return
	}
	row := Setting{Setting: "access logs (" + kindName(lb) + ")", Classic: "off", Status: Carried, Source: docALBLogs}
	if lb.Type == typeNetwork {
		row.Source = docNLBLogs
	}
	lb.Attributes[accessLogsEnabledAttribute] = strconv.FormatBool(l.Enabled)
	row.ELBv2 = accessLogsEnabledAttribute + "=" + strconv.FormatBool(l.Enabled)
	if l.Enabled {
		lb.Attributes[accessLogsBucketAttribute] = l.S3BucketName
		lb.Attributes[accessLogsPrefixAttribute] = l.S3BucketPrefix
		row.Classic = fmt.Sprintf("s3://%s/%s every %d min", l.S3BucketName, l.S3BucketPrefix, int(l.EmitInterval/time.Minute))
		row.ELBv2 = fmt.Sprintf("s3://%s/%s every %d min", l.S3BucketName, l.S3BucketPrefix, accessLogIntervalV2)
		notes := []string{"ELBv2 writes its own log format; the bucket policy must let ELBv2's log delivery write there"}
		if l.EmitInterval != accessLogIntervalV2*time.Minute {
			row.Status = Adjusted
			notes = append(notes, fmt.Sprintf("ELBv2 publishes every %d minutes, not every %d", accessLogIntervalV2, int(l.EmitInterval/time.Minute)))
		}
		if lb.Type == typeNetwork {
			notes = append(notes, "a Network Load Balancer logs TLS connections only")
		}
		row.Reason = strings.Join(notes, "; ")
	}
	b.row(row)
}

// crossZone carries cross-zone load balancing: an NLB's balancer attribute; for an ALB, always
// on at the balancer, the target groups' attribute when Classic had it off.
func (b *builder) crossZone(lb *Balancer) {
	cz := b.c.Attributes.CrossZone
	if cz == nil {
		return
	}
	row := Setting{Setting: "cross-zone load balancing (" + kindName(lb) + ")", Classic: onOff(*cz), Status: Carried, Source: docCrossZone}
	v := strconv.FormatBool(*cz)
	switch {
	case lb.Type == typeNetwork:
		lb.Attributes[crossZoneAttribute] = v
		row.ELBv2 = crossZoneAttribute + "=" + v
	case *cz:
		row.ELBv2 = "on (always, for an Application Load Balancer)"
	default:
		for i := range lb.TargetGroups {
			lb.TargetGroups[i].Attributes[crossZoneAttribute] = v
		}
		row.ELBv2 = crossZoneAttribute + "=false on its target groups"
		row.Reason = "an Application Load Balancer always balances across zones at the balancer; its target groups can turn it off, as here"
	}
	b.row(row)
}

func onOff(v bool) string {
	if v {
		return "on"
	}
	return "off"
}

// tags copies the Classic balancer's tags, except the aws: ones AWS reserves, and adds the
// migration's own.
func (b *builder) tags() {
	var kept, dropped []string
	for _, k := range slices.Sorted(maps.Keys(b.c.Tags)) {
		if strings.HasPrefix(strings.ToLower(k), "aws:") {
			dropped = append(dropped, k)
			continue
		}
		kept = append(kept, k)
		for _, lb := range b.lbs {
			lb.Tags[k] = b.c.Tags[k]
		}
	}
	for _, lb := range b.lbs {
		lb.Tags[TagMigratedFrom] = b.c.Name
	}
	row := Setting{Setting: "tags", Classic: strings.Join(kept, ", "), ELBv2: strings.Join(append(kept, TagMigratedFrom), ", "),
		Status: Carried, Source: docMigrate, Reason: TagMigratedFrom + " marks what the migration made, so that a later run finds it"}
	if len(kept)+1 > maxTags {
		row.Status, row.Reason = Blocked, fmt.Sprintf("ELBv2 takes %d tags; the Classic balancer's %d and the migration's own are one too many", maxTags, len(kept))
		row.Instead = "remove a tag from the Classic balancer"
	}
	b.row(row)
	if len(dropped) > 0 {
		b.row(Setting{Setting: "tags with the aws: prefix", Classic: strings.Join(dropped, ", "), Status: NotCarried, Source: docMigrate,
			Reason: "the aws: prefix is reserved for AWS's own tags, which AWS sets itself"})
	}
}

const maxTags = 50

// instances registers every Classic instance with every target group: Classic sends each
// listener's traffic to all its instances.
func (b *builder) instances() {
	oldTypes := []string{"c1", "cc1", "cc2", "cg1", "cg2", "cr1", "cs1", "g1", "g2", "hi1", "hs1", "m1", "m2", "m3", "t1"}
	var refused []string
	b.allGroups(func(lb *Balancer, tg *TargetGroup) {
		for _, id := range b.c.Instances {
			family, _, _ := strings.Cut(b.c.InstanceTypes[id], ".")
			if lb.Type == typeNetwork && slices.Contains(oldTypes, family) {
				if !slices.Contains(refused, id) {
					refused = append(refused, id)
				}
				continue
			}
			tg.Targets = append(tg.Targets, id)
		}
	})
	b.row(Setting{Setting: "instances", Classic: strings.Join(b.c.Instances, ", "),
		ELBv2: "targets of every target group", Status: Carried, Source: docMigrate})
	for _, id := range refused {
		b.row(Setting{Setting: "instance " + id, Classic: b.c.InstanceTypes[id], Status: NotCarried, Source: docRegister,
			Reason:  "a Network Load Balancer cannot take instances of this type by instance ID",
			Instead: "register the instance's private address in a target group of type ip, or move it to a current instance type"})
	}
}
