"""The `elderscan` command line: one module per command (`scan.py`, `ci.py`, `report.py`,
`batch.py`, `worker.py`, `db.py`, `serve.py`, `token.py`, `scheduler.py`), assembled in
`root.py`.

What commands share lives beside them: `options.py` declares the options once, `exits.py` is
the one error policy, `console.py` is where they print, `store.py` opens the store,
`scanning.py` runs a scan in the terminal and `summary.py` prints it. Nothing outside this
package imports it; importing the package itself loads nothing.
"""
