<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gb2312">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="云南省发展和改革委员会">
<meta name="SiteDomain" content="fgw.actv.gov.cn">
<meta name="SiteIDCode" content="5300000031">
<meta name="ColumnName" content="政府信息公开">
<title>政府信息公开_云南省发展和改革委员会</title>
<style>table.newslist td{padding:4px 8px} .paginator a{margin:0 4px}</style>
</head>
<body>
<div class="fgw-top"><a href="/">云南省发展和改革委员会</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; 政府信息公开</div>
<div class="gk-nav"><ul>
  <li><a href="/xxgk/Guide.aspx">政府信息公开指南</a></li>
  <li><a href="/xxgk/Guide.aspx">政府信息公开制度</a></li>
  <li><a href="/xxgk/NewsList.aspx?ClassID=47">政府信息公开年报</a></li>
  <li><a href="/xxgk/Guide.aspx">法定主动公开内容</a></li>
</ul></div>
<div class="fgw-footer">主办：云南省发展和改革委员会　网站标识码：5300000031　滇ICP备05001231号</div>
</body>
</html>
