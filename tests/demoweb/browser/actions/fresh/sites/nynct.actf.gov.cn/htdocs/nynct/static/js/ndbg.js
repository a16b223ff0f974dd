/* 年度报告 按年份折叠 (accordion): a year's list is loaded the first time it is opened */
Comp({
  el: '#ndbgAccordion',
  data: function () { return {loaded: {}}; },
  events: {'click .year-title': 'toggle'},
  methods: {
    toggle: function (title) {
      var item = title.parentNode;
      var year = item.getAttribute('data-year');
      if (item.classList.contains('open')) { item.classList.remove('open'); return; }
      item.classList.add('open');
      if (this.state.loaded[year] || item.querySelector('.year-body a')) { return; }
      var body = item.querySelector('.year-body');
      body.innerHTML = '<p class="loading">正在加载...</p>';
      var self = this;
      Comp.fetch('/nynct/gkml/ndbg/yearList.do?year=' + year).then(function (res) {
        self.state.loaded[year] = true;
        body.innerHTML = '<ul>' + res.items.map(function (it) {
          return '<li><a href="' + it.href + '" target="_blank" title="' + it.title + '">' + it.title +
                 '</a><span class="date">' + it.pubDate + '</span></li>';
        }).join('') + '</ul>';
      });
    }
  },
  mounted: function () {
    var open = this.el.querySelector('.year-item.open');
    if (open) { this.state.loaded[open.getAttribute('data-year')] = true; }
  }
});
