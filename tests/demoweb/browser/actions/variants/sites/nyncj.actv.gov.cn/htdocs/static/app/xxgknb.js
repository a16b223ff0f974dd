/* 信息公开年报 列表 */
new Tiny({
  el: '#xxgknb-app',
  events: {'click .news-item': 'open'},
  methods: {
    open: function (el) {
      var id = el.getAttribute('data-id');
      location.href = '/nyncj/xxgk/detail.jsp?id=' + encodeURIComponent(id);
    }
  }
});
