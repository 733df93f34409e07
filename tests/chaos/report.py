"""The chaos run's output: progress lines while it runs, then the tables of its summary."""

import collections
import sys
import time

MAX_LISTED = 10  # violations shown per invariant; the count says how many there were


class Report:
    def __init__(self):
        self.started = time.monotonic()
        self.colour = sys.stdout.isatty()

    def progress(self, line):
        elapsed = time.monotonic() - self.started
        print(f"[{elapsed:6.1f}s] {line}", flush=True)

    def _mark(self, ok):
        if not self.colour:
            return "ok  " if ok else "FAIL"
        return "\033[32mok\033[0m  " if ok else "\033[31mFAIL\033[0m"

    def summary(self, seed, run_id, faults, orders, outcomes, load_seconds, quiet_after, results):
        """Prints the tables; returns True when some invariant was violated."""
        print()
        print(f"Faults injected ({len(faults)}):")
        per_target = collections.defaultdict(list)
        for fault in faults:
            per_target[(fault.target, fault.action)].append(fault)
        print(f"  {'component':<18} {'action':<6} {'times':>5} {'down (s)':>9} "
              f"{'back after (s)':>15}  problems")
        for (target, action), group in sorted(per_target.items()):
            down = sum(f.down_for for f in group)
            back = max((f.recovered_after or 0) for f in group)
            problems = sum(1 for f in group if f.error)
            print(f"  {target:<18} {action:<6} {len(group):>5} {down:>9.1f} {back:>15.1f}  "
                  f"{problems or ''}")
        print()
        kinds = collections.Counter(order.kind for order in orders)
        accepted = sum(1 for order in orders if order.order_id)
        print(f"Orders: {len(orders)} sent in {load_seconds:.1f}s, {accepted} accepted "
              f"({', '.join(f'{count} {kind}' for kind, count in sorted(kinds.items()))})")
        for status, reason, count in outcomes:
            print(f"  {status:<8} {reason:<24} {count:>6}")
        print()
        quiet = f"{quiet_after:.1f}s" if quiet_after is not None else "never (timed out)"
        print(f"Quiet (every order final, outbox empty, consumers drained) {quiet} after the last "
              f"order was sent.")
        print()
        print("Invariants:")
        violated = False
        for name, violations in results:
            ok = not violations
            violated = violated or not ok
            print(f"  {self._mark(ok)} {name}" + ("" if ok else f" ({len(violations)} violations)"))
            for line in violations[:MAX_LISTED]:
                print(f"         {line}")
            if len(violations) > MAX_LISTED:
                print(f"         … and {len(violations) - MAX_LISTED} more")
        print()
        verdict = "VIOLATED" if violated else "all invariants hold"
        print(f"Chaos run {run_id} (seed {seed}): {verdict}; rerun with --seed {seed}")
        return violated
