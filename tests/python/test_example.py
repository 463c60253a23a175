"""The CleanRL-style example runs end to end."""
import os
import subprocess
import sys


def test_reinforce_example_runs(source_dir):
    script = source_dir / "python" / "examples" / "reinforce_numpy.py"
    out = subprocess.run([sys.executable, str(script), "--iterations", "2", "--num-envs", "2"],
                         capture_output=True, text=True, env=dict(os.environ), timeout=300)
    assert out.returncode == 0, out.stderr
    lines = [l for l in out.stdout.splitlines() if l.startswith("iteration=")]
    assert len(lines) == 2 and "charts/episodic_return=" in lines[-1]
