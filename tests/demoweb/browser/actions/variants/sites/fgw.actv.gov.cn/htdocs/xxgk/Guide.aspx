<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="gb2312">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="云南省发展和改革委员会">
<meta name="SiteDomain" content="fgw.actv.gov.cn">
<meta name="SiteIDCode" content="5300000031">
<meta name="ColumnName" content="政府信息公开指南">
<title>政府信息公开指南_云南省发展和改革委员会</title>
<style>table.newslist td{padding:4px 8px} .paginator a{margin:0 4px}</style>
</head>
<body>
<div class="fgw-top"><a href="/">云南省发展和改革委员会</a></div>
<div class="position">当前位置：<a href="/">首页</a> &gt; <a href="/xxgk/Index.aspx">政府信息公开</a> &gt; 政府信息公开指南</div>
<div class="content"><p>为了更好地提供政府信息公开服务，根据《中华人民共和国政府信息公开条例》，编制本指南。</p>
<p>公开方式：云南省发展和改革委员会门户网站、政务服务中心、档案馆。</p></div>
<div class="fgw-footer">主办：云南省发展和改革委员会　网站标识码：5300000031　滇ICP备05001231号</div>
</body>
</html>
