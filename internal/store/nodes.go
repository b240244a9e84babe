package store

import (
	"context"

	"github.com/stratus-drive/stratus/internal/drive"
)

var activeNodes = define("ActiveNodes", `SELECT id, name, type, capabilities, weight FROM nodes
 WHERE status = 'active' AND deleted_at IS NULL ORDER BY id`)

// ActiveNodes returns the nodes that take work, in id order.
func (r *runner) ActiveNodes(ctx context.Context) ([]*drive.Node, error) {
	const op = "store.ActiveNodes"
	rows, err := r.rows(ctx, activeNodes)
	if err != nil {
		return nil, classify(op, err)
	}
	defer rows.Close()
	var out []*drive.Node
	for rows.Next() {
		var (
			n    drive.Node
			caps []byte
		)
		if err := rows.Scan(&n.ID, &n.Name, &n.Type, &caps, &n.Weight); err != nil {
			return nil, classify(op, err)
		}
		n.Capabilities = drive.Boolset(caps)
		out = append(out, &n)
	}
	return out, classify(op, rows.Err())
}
