// Canary rollout report: tooltips for the charts, and filters for the event table. The page reads fine without it.
(function () {
  'use strict';
  var body = document.body;
  var tooltip = document.getElementById('tooltip');

  // SVG <title>s give native tooltips when scripts are off; with scripts, they become a styled tooltip that shows at once.
  var marks = document.querySelectorAll('svg.chart [data-event], svg.chart .phase');
  marks.forEach(function (mark) {
    var title = mark.querySelector(':scope > title');
    if (!title) {
      return;
    }
    mark.setAttribute('data-tip', title.textContent);
    title.remove();
    mark.addEventListener('mouseenter', function () {
      tooltip.textContent = mark.getAttribute('data-tip');
      tooltip.hidden = false;
    });
    mark.addEventListener('mousemove', function (e) {
      var x = Math.min(e.clientX + 14, window.innerWidth - tooltip.offsetWidth - 8);
      tooltip.style.left = x + 'px';
      tooltip.style.top = (e.clientY + 16) + 'px';
    });
    mark.addEventListener('mouseleave', function () {
      tooltip.hidden = true;
    });
  });

  var rows = Array.prototype.slice.call(document.querySelectorAll('table.events tbody tr'));
  var buttons = Array.prototype.slice.call(document.querySelectorAll('.filters button[data-filter]'));
  var filters = {
    all: function () { return true; },
    decisions: function (row) { return row.getAttribute('data-type') !== 'CheckPassed'; },
    problems: function (row) { return row.getAttribute('data-severity') !== 'info'; }
  };

  function apply(name) {
    var keep = filters[name];
    rows.forEach(function (row) { row.hidden = !keep(row); });
    buttons.forEach(function (button) { button.classList.toggle('active', button.getAttribute('data-filter') === name); });
  }

  buttons.forEach(function (button) {
    var name = button.getAttribute('data-filter');
    button.querySelector('.count').textContent = rows.filter(filters[name]).length;
    button.addEventListener('click', function () { apply(name); });
  });

  // A mark on a chart leads to its event in the table.
  document.querySelectorAll('svg.chart [data-event]').forEach(function (mark) {
    mark.addEventListener('click', function () {
      var row = document.getElementById('event-' + mark.getAttribute('data-event'));
      if (!row) {
        return;
      }
      if (row.hidden) {
        apply('all');
      }
      row.scrollIntoView({ block: 'center', behavior: 'smooth' });
      row.classList.add('flash');
      window.setTimeout(function () { row.classList.remove('flash'); }, 1600);
    });
  });

  body.setAttribute('data-render', 'ok');
}());
