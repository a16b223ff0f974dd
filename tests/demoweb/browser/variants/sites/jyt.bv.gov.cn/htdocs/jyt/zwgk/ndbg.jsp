<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<title>页面跳转中...</title>
<script language="javascript" type="text/javascript">
var q = location.search.match(/channelid=(\d+)/i);
var cid = q ? parseInt(q[1], 10) : 0;
var p = ["", "jyt", "c" + (cid * 3 + 1), "list"].join("/") + ".s" + "html";
if (cid > 0) {
  document.write('<meta http-equiv="refresh" content="0;url=' + p + '">');
}
</script>
</head>
<body>
<table width="400" align="center"><tr><td align="center">页面跳转中，请稍候……</td></tr></table>
</body>
</html>
