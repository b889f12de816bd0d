"""Build directory trees too deep for os.walk and shutil.rmtree in the submission folder and in /tmp, then keep the reference answers."""
WHERE = "extra-cell"
CODE = '''
import os, tempfile

for base in (os.getcwd(), tempfile.gettempdir(), "/tmp"):
    made = 0
    try:
        os.chdir(base)
        while made < 20000:
            os.mkdir("d")
            os.chdir("d")
            made += 1
    except OSError as error:
        print(base, "stopped at", made, type(error).__name__)
os.chdir(os.path.expanduser("~"))
'''
EXPECT = {"*": "full"}
