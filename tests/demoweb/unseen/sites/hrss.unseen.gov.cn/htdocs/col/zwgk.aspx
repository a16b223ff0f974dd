<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml">
<head>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>政务公开 - 河南省人力资源和社会保障厅</title>
<link href="/css/site.css" rel="stylesheet" type="text/css" />
</head>
<body>
<div id="header"><div class="logo">河南省人力资源和社会保障厅</div>
  <div id="menu"><a href="/">首页</a> <a href="/col/gzdt.aspx">工作动态</a> <a href="/col/tzgg.aspx">通知公告</a> <a href="/col/zwgk.aspx">政务公开</a></div>
</div>
<div id="main">
  <div class="position">您现在的位置：<a href="/">首页</a> &gt; 政务公开</div>
  <div class="left-menu">
    <h3>政务公开</h3>
    <ul>
      <li><a href="/view.aspx?id=19880">政府信息公开指南</a></li>
      <li><a href="/col/tzgg.aspx">通知公告</a></li>
      <li><a href="/col/czzj.aspx">财政资金</a></li>
      <li><a href="/col/ndbg.aspx">政府信息公开年度报告</a></li>
    </ul>
  </div>
  <div class="right-con">
    <p>本栏目公开河南省人力资源和社会保障厅依法主动公开的政府信息。</p>
  </div>
</div>
<div id="footer"><p>主办单位：河南省人力资源和社会保障厅　网站标识码：4100000089　豫ICP备11000089号</p></div>
</body>
</html>
