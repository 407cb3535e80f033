"""Runs a Jupyter notebook top to bottom with nbclient (Debian's
python3-nbclient and python3-ipykernel); exits 1 at the first cell that
raises, naming it.  The kernel starts in the notebook's own directory,
so relative paths resolve as they do in Jupyter; GENRANK_NOTEBOOK_WORK
tells the notebook where it may write.

Usage: run-notebook.py NOTEBOOK.ipynb WORKDIR
"""
import os
import sys

import nbclient
import nbformat


def main(path, work):
    nb = nbformat.read(path, as_version=4)
    os.environ["GENRANK_NOTEBOOK_WORK"] = os.path.abspath(work)
    # the kernel starts elsewhere: PYTHONPATH's entries made absolute
    os.environ["PYTHONPATH"] = os.pathsep.join(
        os.path.abspath(p) for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p)
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    client = nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                     resources={"metadata": {"path": os.path.dirname(os.path.abspath(path))}})
    try:
        client.execute()
    except nbclient.exceptions.CellExecutionError as e:
        print("a cell raised: %s" % str(e).strip().splitlines()[-1])
        return 1
    cells = [c for c in nb.cells if c.cell_type == "code"]
    for c in cells:
        for o in c.get("outputs", []):
            if o.get("output_type") == "stream" and o.get("name") == "stdout":
                for line in o.get("text", "").splitlines():
                    print(line)
    print("%d code cells ran" % len(cells))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
