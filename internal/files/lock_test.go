package files

import "testing"

func TestLockTargetCovers(t *testing.T) {
	p := func(names ...string) []string { return names }
	tests := []struct {
		name   string
		target lockTarget
		lock   HeldLock
		want   bool
	}{
		{"same item", itemTarget(p("a", "b")), HeldLock{Path: p("a", "b")}, true},
		{"other item", itemTarget(p("a", "b")), HeldLock{Path: p("a", "c")}, false},
		{"item below a changed item", itemTarget(p("a")), HeldLock{Path: p("a", "b")}, false},
		{"item below a changed tree", treeTarget(p("a")), HeldLock{Path: p("a", "b")}, true},
		{"tree of the root", treeTarget(p()), HeldLock{Path: p("a", "b")}, true},
		{"name prefix is not a path prefix", treeTarget(p("a")), HeldLock{Path: p("ab")}, false},
		{"above a changed tree", treeTarget(p("a", "b")), HeldLock{Path: p("a")}, false},
		{"below an infinite lock", itemTarget(p("a", "b", "c")), HeldLock{Path: p("a"), Infinite: true}, true},
		{"beside an infinite lock", itemTarget(p("b")), HeldLock{Path: p("a"), Infinite: true}, false},
		{"below a depth-0 lock", itemTarget(p("a", "b")), HeldLock{Path: p("a")}, false},
	}
	for _, tt := range tests {
		if got := tt.target.covers(tt.lock); got != tt.want {
			t.Errorf("%s: covers = %v, want %v", tt.name, got, tt.want)
		}
	}
}
