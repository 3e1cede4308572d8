package loadbalancer

import "github.com/lbcloud/lbcloud/loadbalancer/driver"

// The portable types are the driver's, re-exported so users import only this package.
type (
	Protocol        = driver.Protocol
	Algorithm       = driver.Algorithm
	State           = driver.State
	MemberCondition = driver.MemberCondition
	Member          = driver.Member
	Listener        = driver.Listener
	HealthCheck     = driver.HealthCheck
	LoadBalancer    = driver.LoadBalancer
	CreateRequest   = driver.CreateRequest
	UpdateRequest   = driver.UpdateRequest
	ListOptions     = driver.ListOptions
	Options         = driver.Options
	Error           = driver.Error
)

// Protocols.
const (
	HTTP  = driver.HTTP
	HTTPS = driver.HTTPS
	TCP   = driver.TCP
	SSL   = driver.SSL
	UDP   = driver.UDP
)

// Algorithms.
const (
	RoundRobin               = driver.RoundRobin
	Random                   = driver.Random
	LeastConnections         = driver.LeastConnections
	WeightedRoundRobin       = driver.WeightedRoundRobin
	WeightedLeastConnections = driver.WeightedLeastConnections
	ShortestResponse         = driver.ShortestResponse
	PersistentIP             = driver.PersistentIP
)

// States.
const (
	StateRunning = driver.StateRunning
	StatePending = driver.StatePending
	StateError   = driver.StateError
	StateDeleted = driver.StateDeleted
	StateUnknown = driver.StateUnknown
)

// Member conditions.
const (
	MemberEnabled  = driver.MemberEnabled
	MemberDisabled = driver.MemberDisabled
	MemberDraining = driver.MemberDraining
	MemberUnknown  = driver.MemberUnknown
)

// Error kinds, for errors.Is.
var (
	ErrNotFound      = driver.ErrNotFound
	ErrAlreadyExists = driver.ErrAlreadyExists
	ErrInvalid       = driver.ErrInvalid
	ErrUnsupported   = driver.ErrUnsupported
	ErrThrottled     = driver.ErrThrottled
	ErrDenied        = driver.ErrDenied
	ErrUnavailable   = driver.ErrUnavailable
)
