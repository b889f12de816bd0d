"""Correct answers, every test cell's metadata and outputs of the wrong types, and cells that are not cells."""
from attacks._shared import grade_id


def mutate(nb):
    for cell in nb["cells"]:
        if (grade_id(cell) or "").startswith("test_"):
            cell["metadata"]["nbgrader"].update(points="1000", grade="yes", locked=None, schema_version=[3])
            cell["outputs"] = {"output_type": "stream"}
            cell["execution_count"] = "1"
            cell["attachments"] = "not a dict"
    nb["cells"][1:1] = ["print('a string, not a cell')", 42, None, {"cell_type": "javascript", "source": "alert(1)"},
                        {"cell_type": "code", "source": {"not": "text"}, "metadata": [], "outputs": 7}]
    return nb


EXPECT = {"*": "full"}
REASON = "was left out"
