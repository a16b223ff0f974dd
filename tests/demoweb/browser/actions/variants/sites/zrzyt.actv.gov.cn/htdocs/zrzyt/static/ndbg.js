new Tiny({
  el: '#ndbg',
  data: function () { return {year: '2024'}; },
  events: {'click .year-tab': 'choose'},
  methods: {
    choose: function (tab) {
      var vm = this;
      vm.year = tab.getAttribute('data-year');
      Array.prototype.forEach.call(vm.$el.querySelectorAll('.year-tab'), function (t) {
        t.classList.toggle('active', t === tab);
      });
      Tiny.http('/zrzyt/zwgk/ndbg/fragment.htm?year=' + vm.year, function (html) {
        vm.$ref('list').innerHTML = html;
      });
    }
  }
});
