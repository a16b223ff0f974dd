new Tiny({
  el: '#nbApp',
  data: function () { return {pn: 1, ps: 2, busy: false}; },
  methods: {
    more: function () {
      var vm = this;
      if (vm.busy) { return; }
      vm.busy = true;
      Tiny.http('/whlt/zwgk/nb/getList.do?pn=' + (vm.pn + 1) + '&ps=' + vm.ps, function (html) {
        var holder = document.createElement('div');
        holder.innerHTML = html;
        var items = holder.querySelectorAll('.nb-item');
        Array.prototype.forEach.call(items, function (item) { vm.$ref('list').appendChild(item); });
        vm.pn += 1;
        vm.busy = false;
        if (items.length < vm.ps) {
          vm.observer.disconnect();
          vm.$ref('sentinel').textContent = '已经到底了';
        }
      });
    }
  },
  mounted: function () {
    var vm = this;
    vm.observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) { if (entry.isIntersecting) { vm.more(); } });
    });
    vm.observer.observe(vm.$ref('sentinel'));
  }
});
