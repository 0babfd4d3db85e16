/// The stylesheet and script inlined in `report.html`, so the page needs nothing but itself:
/// it opens from a file share or an e-mail attachment, offline.
enum HTMLAssets {
    /// Colours keep at least 4.5:1 contrast on their background (WCAG AA); trends carry a word
    /// besides the colour and the arrow.
    static let style = """
        :root { --ink: #1b1b1f; --muted: #4a4d55; --line: #d5d8de; --paper: #ffffff; --tint: #f3f5f8;
          --accent: #0b5cad; --up: #a3330f; --down: #0b5cad; --new: #6b2fa3; --bar: #2f6fb7; --frustration: #b4441f; }
        * { box-sizing: border-box; }
        html { font-family: system-ui, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--paper); }
        body { margin: 0; font-size: 16px; line-height: 1.45; }
        header, main, footer, nav { max-width: 1200px; margin: 0 auto; padding: 0 24px; }
        header { padding-top: 20px; }
        h1 { font-size: 1.7rem; margin: 0 0 4px; }
        h2 { font-size: 1.3rem; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
        h3 { font-size: 1.1rem; margin: 22px 0 6px; }
        p { margin: 6px 0; }
        .subtitle, .note { color: var(--muted); }
        .note { font-size: 0.9rem; }
        nav { position: sticky; top: 0; background: var(--paper); border-bottom: 1px solid var(--line); padding-top: 8px; padding-bottom: 8px; z-index: 2; }
        nav a { color: var(--accent); margin-right: 14px; white-space: nowrap; }
        a:focus-visible, button:focus-visible, summary:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; }
        .card { background: var(--tint); border-radius: 8px; padding: 12px 14px; }
        .card .label { color: var(--muted); font-size: 0.85rem; }
        .card .value { font-size: 1.6rem; font-weight: 650; }
        .card .detail { font-size: 0.85rem; color: var(--muted); }
        section { margin-bottom: 12px; }
        .facts { margin-top: 24px; background: #fff8e6; border-left: 6px solid #c98a00; padding: 8px 18px 10px; border-radius: 6px; }
        .facts h2 { border: none; margin-top: 8px; }
        .facts li { margin: 6px 0; }
        .columns { display: grid; grid-template-columns: 1fr 1fr; gap: 28px; }
        @media (max-width: 900px) { .columns { grid-template-columns: 1fr; } }
        .bars { list-style: none; padding: 0; margin: 0; }
        .bars li { display: grid; grid-template-columns: minmax(0, 1fr) 120px 92px; gap: 8px; align-items: center; padding: 3px 0; border-bottom: 1px solid var(--tint); }
        .bars .what { overflow-wrap: anywhere; }
        .bars svg { width: 120px; height: 14px; }
        .bars .bar { fill: var(--bar); }
        .bars.frustration .bar { fill: var(--frustration); }
        .bars .figure { text-align: right; font-variant-numeric: tabular-nums; font-size: 0.9rem; }
        table { border-collapse: collapse; width: 100%; font-size: 0.93rem; }
        th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { background: var(--tint); font-weight: 600; }
        td.number, th.number { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        th button { font: inherit; font-weight: 600; background: none; border: none; padding: 0; cursor: pointer; color: var(--ink); }
        th[aria-sort="ascending"] button::after { content: " ↑"; }
        th[aria-sort="descending"] button::after { content: " ↓"; }
        tr { break-inside: avoid; }
        details summary { cursor: pointer; }
        details summary .phrase { font-weight: 600; }
        .examples { margin: 6px 0 4px; padding-left: 18px; color: var(--muted); font-size: 0.9rem; }
        .examples mark { background: #ffe58a; color: var(--ink); padding: 0 2px; }
        .examples .call { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.8rem; }
        .trend { white-space: nowrap; font-weight: 600; }
        .trend.up { color: var(--up); }
        .trend.down { color: var(--down); }
        .trend.new { color: var(--new); }
        .trend.flat { color: var(--muted); font-weight: 400; }
        svg.spark { width: 120px; height: 28px; vertical-align: middle; }
        svg.spark polyline { fill: none; stroke: var(--accent); stroke-width: 1.5; }
        svg.spark circle { fill: var(--up); }
        .filter { margin: 6px 0 8px; }
        .filter input { font: inherit; padding: 4px 8px; width: min(360px, 100%); border: 1px solid var(--muted); border-radius: 4px; }
        .category { border-top: 1px solid var(--line); }
        .empty { color: var(--muted); font-style: italic; }
        footer { margin-top: 40px; padding-bottom: 30px; color: var(--muted); font-size: 0.85rem; }
        ol.turns { padding-left: 22px; }
        ol.turns .call { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 0.8rem; color: var(--muted); }
        /* A phone (390 px): the nav wraps, wide tables scroll sideways instead of hiding columns,
           words break only where they must. */
        @media (max-width: 600px) {
          header, main, footer, nav { padding: 0 12px; }
          nav { display: flex; flex-wrap: wrap; gap: 4px 12px; position: static; }
          nav a { margin-right: 0; }
          table { display: block; overflow-x: auto; -webkit-overflow-scrolling: touch; }
          td, th { overflow-wrap: break-word; word-break: normal; hyphens: auto; min-width: 5.5em; }
          td.number, th.number { min-width: 0; }
          .bars li { grid-template-columns: minmax(0, 1fr) 64px 80px; }
          .bars svg { width: 64px; }
          svg.spark { width: 80px; }
        }
        @media print {
          nav, .filter, th button::after { display: none; }
          body { font-size: 11pt; }
          header, main, footer { max-width: none; padding: 0; }
          h2 { break-after: avoid; }
          .card, .facts { border: 1px solid var(--line); }
          a { color: inherit; text-decoration: none; }
        }
        """

    /// Sorting and filtering of tables, and every example shown when printing. Written to run
    /// without errors on any table of the page; errors are recorded on `<html data-js-errors>`
    /// so the headless check can see them.
    static let script = """
        (function () {
          var root = document.documentElement;
          window.addEventListener('error', function (event) {
            root.setAttribute('data-js-errors', (root.getAttribute('data-js-errors') || '') + event.message + ';');
          });
          function fold(text) {
            return text.normalize('NFD').replace(/[\\u0300-\\u036f]/g, '').toLowerCase();
          }
          function cellValue(row, index) {
            var cell = row.cells[index];
            if (!cell) { return ''; }
            var value = cell.getAttribute('data-value');
            return value !== null ? parseFloat(value) : fold(cell.textContent.trim());
          }
          document.querySelectorAll('table.sortable').forEach(function (table) {
            var headers = table.querySelectorAll('thead th');
            headers.forEach(function (header, index) {
              var button = header.querySelector('button');
              if (!button) { return; }
              button.addEventListener('click', function () {
                var descending = header.getAttribute('aria-sort') !== 'descending';
                headers.forEach(function (other) { other.removeAttribute('aria-sort'); });
                header.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
                var body = table.tBodies[0];
                var rows = Array.prototype.slice.call(body.rows);
                rows.sort(function (a, b) {
                  var x = cellValue(a, index), y = cellValue(b, index);
                  var order = x < y ? -1 : (x > y ? 1 : 0);
                  return descending ? -order : order;
                });
                rows.forEach(function (row) { body.appendChild(row); });
              });
            });
          });
          document.querySelectorAll('input[data-filter]').forEach(function (input) {
            var table = document.getElementById(input.getAttribute('data-filter'));
            var status = document.getElementById(input.getAttribute('data-filter') + '-status');
            input.addEventListener('input', function () {
              var query = fold(input.value.trim());
              var shown = 0;
              Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
                var visible = query === '' || fold(row.textContent).indexOf(query) !== -1;
                row.hidden = !visible;
                if (visible) { shown += 1; }
              });
              if (status) { status.textContent = shown + ' de ' + table.tBodies[0].rows.length + ' filas'; }
            });
          });
          // "ver la llamada" opens the quoted call it points to.
          function openCall() {
            var target = location.hash && document.getElementById(location.hash.slice(1));
            if (target && target.tagName === 'DETAILS') { target.open = true; }
          }
          window.addEventListener('hashchange', openCall);
          openCall();
          window.addEventListener('beforeprint', function () {
            document.querySelectorAll('details').forEach(function (details) { details.open = true; });
          });
          // How far the page is wider than the window (tables scroll inside their own box, so
          // nothing should be): read by the headless check at phone width.
          var overflow = document.documentElement.scrollWidth - window.innerWidth;
          if (overflow > 1) { root.setAttribute('data-overflow', String(overflow)); }
          root.setAttribute('data-ready', '1');
        })();
        """
}
