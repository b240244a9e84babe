package drive

// Node is a server that stores files or runs tasks: the master itself, or a
// slave it delegates to.
type Node struct {
	ID           int
	Name         string
	Type         string // "master" or "slave"
	Capabilities Boolset
	Weight       int
}
