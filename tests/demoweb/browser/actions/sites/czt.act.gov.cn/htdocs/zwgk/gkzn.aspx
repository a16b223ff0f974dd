<!DOCTYPE html>
<html>
<head>
<meta http-equiv="Content-Type" content="text/html; charset=gbk" />
<meta name="SiteName" content="贵州省财政厅" />
<title>政府信息公开指南_贵州省财政厅</title>
</head>
<body>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/index.html">政府信息公开</a> &gt; 政府信息公开指南</div>
<h1>贵州省财政厅政府信息公开指南</h1>
<p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>
</body>
</html>
