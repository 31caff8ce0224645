"""The library: documents in, verbatim quotes out. It never imports the bot.

Its modules, layer by layer (each layer reads only the ones above it; tests/test_code_guards.py checks):

- **Corpus** — reading documents into text with pages and headings: ``loaders/``, ``document.py``,
  ``sentences.py``, ``chunking.py`` (passages), ``dedupe.py``, ``question_text.py`` (cleaning any text asked).
- **Store** — the index on disk: ``stored.py`` (passages, vectors, BM25; build, save, load), ``store.py``
  (generations), ``dense.py`` (FAISS), ``lexical.py`` (BM25), ``embedding.py`` and ``onnx_embedding.py``
  (encoders), ``integrity.py``, ``checkpoint.py``; changing it: ``build.py``, ``maintain.py``, ``adding.py``.
- **Knowledge** — data every layer may read: ``data/`` (glossary, word lists, councils, fitted weights, the
  ILACS history) and their loaders ``glossary.py``, ``word_lists.py``, ``councils.py``, ``fitted.py``;
  kinds of report text: ``report_kinds.py``.
- **Reading a question** — ``intent.py`` (``read_question``) with ``asks.py`` (what a question names and
  asks), ``question_when.py``, ``question_numbers.py``, ``question_names.py``, ``question_rating.py``,
  ``scope.py``, ``spelling.py``, and ``prior_rules.py`` (how what is asked favours documents and passages).
- **Search** — ``search/``: the stages in order (``search/__init__.py`` lists them; ``search/pipeline.py``
  runs them), over ``quoting.py`` (the quote model) and ``rerank.py`` (the second ranker); ``engine.py``
  (``Index``: a stored index with its pipeline) and ``results.py`` (what a search returns).
- **Ratings** — ``ratings/``: Ofsted's judgements over time, read from the reports and the ILACS history.
- **Front** — ``cli.py`` and ``__main__.py`` (``python -m index``), ``progress.py``, ``evaluation.py``
  (``eval``). Every domain error derives from ``errors.IndexLibraryError``.
"""
