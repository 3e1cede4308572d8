package loadbalancer

// PagesInFlight is the read-ahead bound, for the tests that check it.
const PagesInFlight = pagesInFlight
