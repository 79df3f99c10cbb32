"""Fill a gettext catalogue's empty msgstr from a {msgid: translation} dict (no polib needed).

    python scripts/fill_catalogue.py locale/zh_Hans/LC_MESSAGES/django.po TRANSLATIONS.py
Keeps existing translations; prints the msgids still untranslated.
"""
import ast
import re
import sys


def unquote(lines):
    return "".join(ast.literal_eval(line[line.index('"'):]) for line in lines if '"' in line)


def quote(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def main(po_path, table_path):
    namespace = {}
    exec(open(table_path, encoding="utf-8").read(), namespace)
    table = namespace["ZH"]
    blocks = open(po_path, encoding="utf-8").read().split("\n\n")
    missing, out = [], []
    for block in blocks:
        lines = block.split("\n")
        if not any(line.startswith("msgid ") for line in lines):
            out.append(block)
            continue
        i = next(n for n, line in enumerate(lines) if line.startswith("msgid "))
        j = next(n for n, line in enumerate(lines) if line.startswith("msgstr"))
        msgid = unquote(lines[i:j])
        current = unquote(lines[j:])
        if msgid == "":  # the header
            block = block.replace("#, fuzzy\n", "").replace("charset=CHARSET", "charset=UTF-8")
            block = re.sub(r'"Plural-Forms:.*\\n"', '"Plural-Forms: nplurals=1; plural=0;\\\\n"', block)
            block = block.replace('"Language: \\n"', '"Language: zh_Hans\\n"')
            out.append(block)
            continue
        if not current:
            if msgid in table:
                lines = [l for l in lines[:j] if l != "#, fuzzy"] + ["msgstr " + quote(table[msgid])]
                lines = [l for l in lines if not l.startswith("#, python-format") or "%(" in msgid]
            else:
                missing.append(msgid)
        out.append("\n".join(lines))
    open(po_path, "w", encoding="utf-8").write("\n\n".join(out))
    for msgid in missing:
        print("untranslated:", msgid)


if __name__ == "__main__":
    main(*sys.argv[1:])
