"""Prints each failed test of the given TRX files with its error message and stack trace."""
import sys
import xml.etree.ElementTree as ElementTree

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}

for path in sys.argv[1:]:
    for result in ElementTree.parse(path).getroot().iterfind(".//t:UnitTestResult", NS):
        if result.get("outcome") != "Failed":
            continue
        print(f"--- FAILED {result.get('testName')} ({result.get('duration')})")
        for field in ("Message", "StackTrace"):
            text = result.findtext(f"t:Output/t:ErrorInfo/t:{field}", default="", namespaces=NS).strip()
            if text:
                print(text)
