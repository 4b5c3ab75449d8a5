"""The reading service, without Qt: one loop that feeds pages to an engine and the page states it leaves.

* :mod:`.jobs`: frozen snapshots of what to read (``PageSnapshot``, ``OcrJob``, ``RegionJob``) and job ids.
* :mod:`.runner`: :class:`~.runner.PageReader`, the one reading loop (the OCR worker's thread in the
  GUI, the main thread in ``desktop-ocr convert``): queued jobs, pause, cancel of a page, a job or all,
  engine failures turned into page failures, the pace and ETA. It never touches a Project.
* :mod:`.queue`: :class:`~.queue.ReadingQueue`, on the thread that owns the Project: which page waits
  for which job, the states to put back on cancel, stale results dropped, the smaller-mode retry after
  running out of memory.
* :mod:`.regions`: :class:`~.regions.RegionRequests`, region reads and locates not answered yet.
* :mod:`.service`: :class:`~.service.ReadingService`, the queue and the region requests composed: the
  reading loop's listener that applies its answers and reports to a ``ReadingEvents`` listener; the
  GUI's Controller and the command line both use it.
* :mod:`.pace`: the one seconds-per-page estimator (pauses excluded).
* :mod:`.convert`: :func:`~.convert.read_pages`, the loop and the service composed on one thread for
  the command line.
"""
