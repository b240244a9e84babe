package drive

import "time"

// Node is a server that stores files or runs tasks: the master itself, or a
// slave it delegates to.
type Node struct {
	ID           int
	Name         string
	Type         string // "master" or "slave"
	Status       string // "active" or "suspended"
	Server       string // base URL of a slave
	SlaveKey     string // shared secret of a slave
	Capabilities Boolset
	Settings     map[string]any // the nodes.settings document (80-data-model §4.4)
	Weight       int
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// Node types and states.
const (
	NodeMaster    = "master"
	NodeSlave     = "slave"
	NodeActive    = "active"
	NodeSuspended = "suspended"
)
