"""What a gqrec document is made of, below the products that write documents (the bilan, the ledger):
titled tables of typed cells (`table`) and their Markdown (`markdown`) and HTML (`html`) writers, with
the pages' style sheet."""
