<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
<context>
    <name>Actions</name>
    <message>
        <source>&amp;New Project</source>
        <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
        <source>Start an empty project</source>
        <translation>新建一个空项目</translation>
    </message>
    <message>
        <source>&amp;Open...</source>
        <translation>打开(&amp;O)...</translation>
    </message>
    <message>
        <source>Open files, folders or a project (Ctrl+O)</source>
        <translation>打开文件、文件夹或项目 (Ctrl+O)</translation>
    </message>
    <message>
        <source>Open &amp;Folder...</source>
        <translation>打开文件夹(&amp;F)...</translation>
    </message>
    <message>
        <source>Import every page in a folder</source>
        <translation>导入文件夹中的所有页面</translation>
    </message>
    <message>
        <source>&amp;Paste Image</source>
        <translation>粘贴图像(&amp;P)</translation>
    </message>
    <message>
        <source>Import the image on the clipboard</source>
        <translation>导入剪贴板中的图像</translation>
    </message>
    <message>
        <source>Save Project &amp;As...</source>
        <translation>项目另存为(&amp;A)...</translation>
    </message>
    <message>
        <source>Save the project to a file</source>
        <translation>将项目保存到文件</translation>
    </message>
    <message>
        <source>&amp;Save Project</source>
        <translation>保存项目(&amp;S)</translation>
    </message>
    <message>
        <source>Save the project (it is autosaved too)</source>
        <translation>保存项目（项目也会自动保存）</translation>
    </message>
    <message>
        <source>&amp;Export...</source>
        <translation>导出(&amp;E)...</translation>
    </message>
    <message>
        <source>Export Markdown, text and JSON</source>
        <translation>导出 Markdown、纯文本和 JSON</translation>
    </message>
    <message>
        <source>Se&amp;ttings...</source>
        <translation>设置(&amp;T)...</translation>
    </message>
    <message>
        <source>Engine, DPI and export settings</source>
        <translation>识别引擎、DPI 和导出设置</translation>
    </message>
    <message>
        <source>DeepSeek-OCR &amp;Model...</source>
        <translation>DeepSeek-OCR 模型(&amp;M)...</translation>
    </message>
    <message>
        <source>Choose, download or approve the DeepSeek-OCR model</source>
        <translation>选择、下载或批准 DeepSeek-OCR 模型</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>退出(&amp;Q)</translation>
    </message>
    <message>
        <source>Quit Desktop OCR</source>
        <translation>退出桌面 OCR</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
    </message>
    <message>
        <source>Undo the last edit</source>
        <translation>撤销上一次编辑</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>重做(&amp;R)</translation>
    </message>
    <message>
        <source>Redo</source>
        <translation>重做</translation>
    </message>
    <message>
        <source>Text &amp;History...</source>
        <translation>文本历史(&amp;H)...</translation>
    </message>
    <message>
        <source>Earlier versions of this page&apos;s text</source>
        <translation>此页文本的早期版本</translation>
    </message>
    <message>
        <source>&amp;Read Selected Pages</source>
        <translation>识别所选页面(&amp;R)</translation>
    </message>
    <message>
        <source>Read the selected pages</source>
        <translation>识别所选的页面</translation>
    </message>
    <message>
        <source>Read Selected Pages &amp;With...</source>
        <translation>按指定选项识别所选页面(&amp;W)...</translation>
    </message>
    <message>
        <source>Choose the prompt, resolution mode and token cap for this run</source>
        <translation>为本次识别选择提示词、分辨率模式和 token 上限</translation>
    </message>
    <message>
        <source>Read &amp;Document</source>
        <translation>识别文档(&amp;D)</translation>
    </message>
    <message>
        <source>Read every page of the current document</source>
        <translation>识别当前文档的所有页面</translation>
    </message>
    <message>
        <source>Read &amp;All</source>
        <translation>全部识别(&amp;A)</translation>
    </message>
    <message>
        <source>Read every page of the project</source>
        <translation>识别项目中的所有页面</translation>
    </message>
    <message>
        <source>&amp;Pause</source>
        <translation>暂停(&amp;P)</translation>
    </message>
    <message>
        <source>Pause after the current page</source>
        <translation>识别完当前页后暂停</translation>
    </message>
    <message>
        <source>&amp;Cancel Reading</source>
        <translation>取消识别(&amp;C)</translation>
    </message>
    <message>
        <source>Stop reading (the current page and the queue)</source>
        <translation>停止识别（当前页面及队列）</translation>
    </message>
    <message>
        <source>Rotate &amp;Left</source>
        <translation>向左旋转(&amp;L)</translation>
    </message>
    <message>
        <source>Turn the selected pages 90° anticlockwise</source>
        <translation>将所选页面逆时针旋转 90°</translation>
    </message>
    <message>
        <source>Rotate Ri&amp;ght</source>
        <translation>向右旋转(&amp;G)</translation>
    </message>
    <message>
        <source>Turn the selected pages 90° clockwise</source>
        <translation>将所选页面顺时针旋转 90°</translation>
    </message>
    <message>
        <source>&amp;Delete Pages</source>
        <translation>删除页面(&amp;D)</translation>
    </message>
    <message>
        <source>Remove the selected pages (Delete in the page list)</source>
        <translation>移除所选页面（在页面列表中按 Delete）</translation>
    </message>
    <message>
        <source>Mark &amp;Reviewed</source>
        <translation>标记为已校对(&amp;R)</translation>
    </message>
    <message>
        <source>Mark the selected pages as reviewed</source>
        <translation>将所选页面标记为已校对</translation>
    </message>
    <message>
        <source>Mark Reviewed and Go to Ne&amp;xt</source>
        <translation>标记为已校对并转到下一页(&amp;X)</translation>
    </message>
    <message>
        <source>Mark this page reviewed and go to the next page needing attention</source>
        <translation>将此页标记为已校对，并转到下一个需要处理的页面</translation>
    </message>
    <message>
        <source>Next Page Needing &amp;Attention</source>
        <translation>下一个需要处理的页面(&amp;A)</translation>
    </message>
    <message>
        <source>Go to the next page that failed, is incomplete or is not reviewed</source>
        <translation>转到下一个识别失败、不完整或未校对的页面</translation>
    </message>
    <message>
        <source>Previous Page Needing A&amp;ttention</source>
        <translation>上一个需要处理的页面(&amp;T)</translation>
    </message>
    <message>
        <source>Go to the previous page that failed, is incomplete or is not reviewed</source>
        <translation>转到上一个识别失败、不完整或未校对的页面</translation>
    </message>
    <message>
        <source>Find in &amp;Document...</source>
        <translation>在文档中查找(&amp;D)...</translation>
    </message>
    <message>
        <source>Search the text of every page of this document</source>
        <translation>搜索此文档所有页面的文本</translation>
    </message>
    <message>
        <source>&amp;Next Page</source>
        <translation>下一页(&amp;N)</translation>
    </message>
    <message>
        <source>Go to the next page</source>
        <translation>转到下一页</translation>
    </message>
    <message>
        <source>&amp;Previous Page</source>
        <translation>上一页(&amp;P)</translation>
    </message>
    <message>
        <source>Go to the previous page</source>
        <translation>转到上一页</translation>
    </message>
    <message>
        <source>Re&amp;name Document...</source>
        <translation>重命名文档(&amp;N)...</translation>
    </message>
    <message>
        <source>Rename the current document</source>
        <translation>重命名当前文档</translation>
    </message>
    <message>
        <source>&amp;Split Document Here</source>
        <translation>在此拆分文档(&amp;S)</translation>
    </message>
    <message>
        <source>Start a new document at the current page</source>
        <translation>从当前页开始一个新文档</translation>
    </message>
    <message>
        <source>&amp;Merge Documents</source>
        <translation>合并文档(&amp;M)</translation>
    </message>
    <message>
        <source>Merge the documents of the selected pages</source>
        <translation>合并所选页面所在的文档</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>放大(&amp;I)</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>缩小(&amp;O)</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Fit &amp;Width</source>
        <translation>适合宽度(&amp;W)</translation>
    </message>
    <message>
        <source>Fit the page&apos;s width</source>
        <translation>按页面宽度缩放</translation>
    </message>
    <message>
        <source>Fit &amp;Page</source>
        <translation>适合页面(&amp;P)</translation>
    </message>
    <message>
        <source>Show the whole page</source>
        <translation>显示整个页面</translation>
    </message>
    <message>
        <source>Show &amp;Boxes</source>
        <translation>显示版面框(&amp;B)</translation>
    </message>
    <message>
        <source>Show the layout boxes on the page</source>
        <translation>在页面上显示版面区块框</translation>
    </message>
    <message>
        <source>Show Pre&amp;view</source>
        <translation>显示预览(&amp;V)</translation>
    </message>
    <message>
        <source>Show the rendered Markdown</source>
        <translation>显示渲染后的 Markdown</translation>
    </message>
    <message>
        <source>&amp;About Desktop OCR</source>
        <translation>关于桌面 OCR(&amp;A)</translation>
    </message>
    <message>
        <source>About this app</source>
        <translation>关于本应用</translation>
    </message>
    <message>
        <source>&amp;GPU and Model Assistant...</source>
        <translation>GPU 与模型助手(&amp;G)...</translation>
    </message>
    <message>
        <source>Detect the GPU and set up the engine that fits it</source>
        <translation>检测 GPU 并设置与之匹配的识别引擎</translation>
    </message>
    <message>
        <source>Open &amp;Log Folder</source>
        <translation>打开日志文件夹(&amp;L)</translation>
    </message>
    <message>
        <source>Show the folder with the log files</source>
        <translation>显示存放日志文件的文件夹</translation>
    </message>
</context>
<context>
    <name>BlockLabel</name>
    <message>
        <source>title</source>
        <extracomment>Colours of the labels DeepSeek-OCR and the embedded engine produce. Mid-saturation hues that stay readable over white paper and as tags with white text, in light and dark themes alike. Colours for labels not listed above, chosen by a stable hash of the label. The known labels as shown to users, marked for translation (see ``label_title``).</extracomment>
        <translation>标题</translation>
    </message>
    <message>
        <source>sub title</source>
        <translation>副标题</translation>
    </message>
    <message>
        <source>text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>line</source>
        <translation>文本行</translation>
    </message>
    <message>
        <source>list</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>table caption</source>
        <translation>表格标题</translation>
    </message>
    <message>
        <source>table footnote</source>
        <translation>表格脚注</translation>
    </message>
    <message>
        <source>image</source>
        <translation>图像</translation>
    </message>
    <message>
        <source>figure</source>
        <translation>插图</translation>
    </message>
    <message>
        <source>image caption</source>
        <translation>图像说明</translation>
    </message>
    <message>
        <source>equation</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>header</source>
        <translation>页眉</translation>
    </message>
    <message>
        <source>footer</source>
        <translation>页脚</translation>
    </message>
    <message>
        <source>page number</source>
        <translation>页码</translation>
    </message>
    <message>
        <source>footnote</source>
        <translation>脚注</translation>
    </message>
    <message>
        <source>ref</source>
        <translation>参考文献</translation>
    </message>
    <message>
        <source>block</source>
        <translation>区块</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Loading {name} engine...</source>
        <extracomment>The store writes every change at once; this retries a failed write (disk full...) this often.</extracomment>
        <translation>正在加载 {name} 引擎...</translation>
    </message>
    <message>
        <source>Exporting {percent}: {message}</source>
        <translation>正在导出 {percent}：{message}</translation>
    </message>
    <message>
        <source>The export failed</source>
        <translation>导出失败</translation>
    </message>
    <message>
        <source>Engine: {name} (loads when reading starts)</source>
        <translation>引擎：{name}（开始识别时加载）</translation>
    </message>
    <message>
        <source>Could not save the settings: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <source>Untitled project</source>
        <translation>未命名项目</translation>
    </message>
    <message>
        <source>The project could not be opened</source>
        <translation>无法打开项目</translation>
    </message>
    <message>
        <source>Reopened {name} after an unexpected exit: all saved work is here</source>
        <translation>程序意外退出后已重新打开 {name}：所有已保存的工作都在</translation>
    </message>
    <message>
        <source>Opened {name}</source>
        <translation>已打开 {name}</translation>
    </message>
    <message>
        <source>The project could not be saved</source>
        <translation>无法保存项目</translation>
    </message>
    <message>
        <source>Saved as {path}</source>
        <translation>已另存为 {path}</translation>
    </message>
    <message>
        <source>Recovered the unsaved project; use File &gt; Save As to keep it.</source>
        <translation>已恢复未保存的项目；请使用“文件 &gt; 项目另存为”保留它。</translation>
    </message>
    <message>
        <source>Importing {n} item(s)...</source>
        <translation>正在导入 {n} 项...</translation>
    </message>
    <message>
        <source>Importing {n}/{total}: {name}</source>
        <translation>正在导入 {n}/{total}：{name}</translation>
    </message>
    <message>
        <source>Imported {documents} document(s), {pages} page(s)</source>
        <translation>已导入 {documents} 个文档，共 {pages} 页</translation>
    </message>
    <message>
        <source>Some files could not be imported</source>
        <translation>部分文件无法导入</translation>
    </message>
    <message>
        <source>The import failed</source>
        <translation>导入失败</translation>
    </message>
    <message>
        <source>Cannot move the pages: {error}</source>
        <translation>无法移动页面：{error}</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Replace existing files?</source>
        <translation>替换已有文件？</translation>
    </message>
    <message>
        <source>These files already exist in the export folder. Nothing has been written yet.</source>
        <translation>导出文件夹中已存在这些文件。目前尚未写入任何内容。</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Keep Both</source>
        <translation>保留两者</translation>
    </message>
    <message>
        <source>{name} is protected by a password.</source>
        <translation>{name} 受密码保护。</translation>
    </message>
    <message>
        <source>The password for {name} is wrong.</source>
        <translation>{name} 的密码不正确。</translation>
    </message>
    <message>
        <source>Password needed</source>
        <translation>需要密码</translation>
    </message>
    <message>
        <source>Enter its password to import it:</source>
        <translation>请输入密码以导入：</translation>
    </message>
    <message>
        <source>Read edited pages again?</source>
        <translation>重新识别已编辑的页面？</translation>
    </message>
    <message>
        <source>{edited} of the {total} pages to read have your corrections.</source>
        <translation>待识别的 {total} 页中有 {edited} 页包含您的修改。</translation>
    </message>
    <message>
        <source>Reading them again replaces their text with the engine&apos;s. Your corrected text stays in Edit &gt; Text History, from where you can restore it.</source>
        <translation>重新识别会用引擎的结果替换这些页面的文本。您修改过的文本会保留在“编辑 &gt; 文本历史”中，可随时从那里恢复。</translation>
    </message>
    <message>
        <source>Read All Again</source>
        <translation>全部重新识别</translation>
    </message>
    <message>
        <source>Skip Edited Pages</source>
        <translation>跳过已编辑的页面</translation>
    </message>
    <message>
        <source>Recover unsaved work?</source>
        <translation>恢复未保存的工作？</translation>
    </message>
    <message>
        <source>Desktop OCR found a project that was not saved when the app last closed.</source>
        <translation>桌面 OCR 发现了一个上次关闭应用时未保存的项目。</translation>
    </message>
    <message>
        <source>Last change: {when}</source>
        <translation>最后修改：{when}</translation>
    </message>
    <message>
        <source>{n} pages in: {documents}</source>
        <translation>共 {n} 页，位于：{documents}</translation>
    </message>
    <message>
        <source>Recover</source>
        <translation>恢复</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>丢弃</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Discard unsaved work?</source>
        <translation>丢弃未保存的工作？</translation>
    </message>
    <message>
        <source>The unsaved project will be deleted. Continue?</source>
        <translation>未保存的项目将被删除。是否继续？</translation>
    </message>
    <message>
        <source>Save the project?</source>
        <translation>保存项目？</translation>
    </message>
    <message>
        <source>This project has not been saved to a file yet.</source>
        <translation>此项目尚未保存到文件。</translation>
    </message>
    <message>
        <source>If you quit without saving, it is kept for recovery at the next start.</source>
        <translation>如果不保存就退出，项目会被保留，以便下次启动时恢复。</translation>
    </message>
    <message>
        <source>Delete It</source>
        <translation>删除</translation>
    </message>
    <message>
        <source>Quit, Keep for Recovery</source>
        <translation>退出，保留以便恢复</translation>
    </message>
    <message>
        <source>About {app}</source>
        <translation>关于 {app}</translation>
    </message>
    <message>
        <source>&lt;p&gt;Turns scans and PDFs into corrected Markdown on your own machine: DeepSeek-OCR on the local GPU, or the embedded CPU engine (RapidOCR).&lt;/p&gt;</source>
        <translation>&lt;p&gt;在您自己的电脑上把扫描件和 PDF 转换为校对后的 Markdown：使用本地 GPU 上的 DeepSeek-OCR，或内置的 CPU 引擎（RapidOCR）。&lt;/p&gt;</translation>
    </message>
    <message>
        <source>&lt;p&gt;Engine: {engine}&lt;/p&gt;</source>
        <translation>&lt;p&gt;引擎：{engine}&lt;/p&gt;</translation>
    </message>
    <message>
        <source>not loaded yet</source>
        <translation>尚未加载</translation>
    </message>
    <message>
        <source>Desktop OCR closed unexpectedly last time</source>
        <translation>桌面 OCR 上次意外关闭</translation>
    </message>
    <message>
        <source>The last session ended with an error. Your project was autosaved up to that moment.</source>
        <translation>上次会话因错误而结束。您的项目已自动保存到出错前的那一刻。</translation>
    </message>
    <message>
        <source>The report is in {folder}. Please include it if you report the problem.</source>
        <translation>报告位于 {folder}。反馈问题时请附上该报告。</translation>
    </message>
</context>
<context>
    <name>DocumentSearchPanel</name>
    <message>
        <source>Find in this document</source>
        <translation>在此文档中查找</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <source>This is not a valid regular expression.</source>
        <translation>这不是有效的正则表达式。</translation>
    </message>
    <message>
        <source>p. {n}</source>
        <translation>第 {n} 页</translation>
    </message>
    <message>
        <source>{n} matches on one page in “{doc}”</source>
        <translation>在“{doc}”的 1 页中找到 {n} 处匹配</translation>
    </message>
    <message>
        <source>{n} matches on {p} pages in “{doc}”</source>
        <translation>在“{doc}”的 {p} 页中找到 {n} 处匹配</translation>
    </message>
    <message>
        <source>1 match in “{doc}”</source>
        <translation>在“{doc}”中找到 1 处匹配</translation>
    </message>
    <message>
        <source>Not found in “{doc}”</source>
        <translation>在“{doc}”中未找到</translation>
    </message>
</context>
<context>
    <name>EditorPane</name>
    <message>
        <source>&amp;Find…</source>
        <translation>查找(&amp;F)…</translation>
    </message>
    <message>
        <source>&amp;Replace…</source>
        <translation>替换(&amp;R)…</translation>
    </message>
    <message>
        <source>Show &amp;Preview</source>
        <translation>显示预览(&amp;P)</translation>
    </message>
    <message>
        <source>Select a page to see its text.</source>
        <translation>选择一个页面以查看其文本。</translation>
    </message>
    <message>
        <source>This page has no text yet. Read it, or type here.</source>
        <translation>此页面还没有文本。请先识别，或直接在此输入。</translation>
    </message>
    <message>
        <source>This page is being read. Its text can be edited when reading ends.</source>
        <translation>正在识别此页面。识别结束后即可编辑其文本。</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Markdown (.md) with figure images</source>
        <translation>Markdown (.md)，附带插图图像</translation>
    </message>
    <message>
        <source>Plain text (.txt)</source>
        <translation>纯文本 (.txt)</translation>
    </message>
    <message>
        <source>JSON (.json)</source>
        <translation>JSON (.json)</translation>
    </message>
    <message>
        <source>Official page marker  &lt;--- Page Split ---&gt;</source>
        <translation>官方分页标记  &lt;--- Page Split ---&gt;</translation>
    </message>
    <message>
        <source>None (a blank line)</source>
        <translation>无（空一行）</translation>
    </message>
    <message>
        <source>A horizontal rule  ---</source>
        <translation>水平分隔线  ---</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>The current document ({name})</source>
        <translation>当前文档（{name}）</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>The documents of the selected pages ({n} pages)</source>
        <translation>所选页面所在的文档（{n} 页）</translation>
    </message>
    <message>
        <source>All documents ({n})</source>
        <translation>所有文档（{n}）</translation>
    </message>
    <message>
        <source>Formats</source>
        <translation>格式</translation>
    </message>
    <message>
        <source>Between pages</source>
        <translation>页面之间</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Each document becomes &lt;i&gt;name&lt;/i&gt;.md, &lt;i&gt;name&lt;/i&gt;_images/, .txt and .json. Existing files are never overwritten without asking.</source>
        <translation>每个文档会生成 &lt;i&gt;name&lt;/i&gt;.md、&lt;i&gt;name&lt;/i&gt;_images/、.txt 和 .json。已有文件不会在未经询问的情况下被覆盖。</translation>
    </message>
    <message>
        <source>Export to folder</source>
        <translation>导出到文件夹</translation>
    </message>
    <message>
        <source>Choose at least one format.</source>
        <translation>请至少选择一种格式。</translation>
    </message>
    <message>
        <source>Choose a folder to export to.</source>
        <translation>请选择导出的目标文件夹。</translation>
    </message>
</context>
<context>
    <name>ExportMixin</name>
    <message>
        <source>Nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <source>An export is already running</source>
        <translation>已有导出正在进行</translation>
    </message>
    <message>
        <source>Exporting {n} document(s)...</source>
        <translation>正在导出 {n} 个文档...</translation>
    </message>
    <message>
        <source>Exported {n} file(s) to {folder}</source>
        <translation>已将 {n} 个文件导出到 {folder}</translation>
    </message>
    <message>
        <source>The export is done, with some problems</source>
        <translation>导出已完成，但有一些问题</translation>
    </message>
</context>
<context>
    <name>FileFlowsMixin</name>
    <message>
        <source>The clipboard holds no image</source>
        <translation>剪贴板中没有图像</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>粘贴的图像</translation>
    </message>
    <message>
        <source>Open</source>
        <translation>打开</translation>
    </message>
    <message>
        <source>Import a folder</source>
        <translation>导入文件夹</translation>
    </message>
    <message>
        <source>... and {n} more</source>
        <translation>……以及另外 {n} 项</translation>
    </message>
    <message>
        <source>Saved (every change is saved automatically)</source>
        <translation>已保存（每次修改都会自动保存）</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>项目另存为</translation>
    </message>
    <message>
        <source>Projects ({patterns})</source>
        <translation>项目 ({patterns})</translation>
    </message>
    <message>
        <source>Scans, PDFs and projects ({patterns})</source>
        <translation>扫描件、PDF 和项目 ({patterns})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>清除列表</translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written</source>
        <translation>导出已取消：未写入任何内容</translation>
    </message>
</context>
<context>
    <name>FindReplaceBar</name>
    <message>
        <source>Find</source>
        <extracomment>Matches highlighted at most (the count is still exact).</extracomment>
        <translation>查找</translation>
    </message>
    <message>
        <source>Replace with</source>
        <translation>替换为</translation>
    </message>
    <message>
        <source>Match case</source>
        <translation>区分大小写</translation>
    </message>
    <message>
        <source>Whole words</source>
        <translation>全字匹配</translation>
    </message>
    <message>
        <source>Regular expression</source>
        <translation>正则表达式</translation>
    </message>
    <message>
        <source>Previous match (Shift+F3)</source>
        <translation>上一个匹配 (Shift+F3)</translation>
    </message>
    <message>
        <source>Next match (F3)</source>
        <translation>下一个匹配 (F3)</translation>
    </message>
    <message>
        <source>Replace</source>
        <translation>替换</translation>
    </message>
    <message>
        <source>Replace this match</source>
        <translation>替换此匹配项</translation>
    </message>
    <message>
        <source>Replace all</source>
        <translation>全部替换</translation>
    </message>
    <message>
        <source>Replace every match</source>
        <translation>替换所有匹配项</translation>
    </message>
    <message>
        <source>Close (Esc)</source>
        <translation>关闭 (Esc)</translation>
    </message>
    <message>
        <source>Invalid expression</source>
        <translation>表达式无效</translation>
    </message>
    <message>
        <source>No matches</source>
        <translation>无匹配</translation>
    </message>
    <message>
        <source>{current} of {total}</source>
        <translation>第 {current} 个，共 {total} 个</translation>
    </message>
    <message>
        <source>1 match</source>
        <translation>1 个匹配</translation>
    </message>
    <message>
        <source>{total} matches</source>
        <translation>{total} 个匹配</translation>
    </message>
    <message>
        <source>Replaced {n}</source>
        <translation>已替换 {n} 处</translation>
    </message>
</context>
<context>
    <name>FirstRunDialog</name>
    <message>
        <source>Welcome to Desktop OCR</source>
        <extracomment>Emitted after the choices were saved into the settings object (and written to disk).</extracomment>
        <translation>欢迎使用桌面 OCR</translation>
    </message>
    <message>
        <source>&lt;h3&gt;Welcome to Desktop OCR&lt;/h3&gt;Choose how pages are read. You can change every choice later in the settings.</source>
        <translation>&lt;h3&gt;欢迎使用桌面 OCR&lt;/h3&gt;请选择识别页面的方式。所有选择之后都可以在设置中更改。</translation>
    </message>
    <message>
        <source>Your computer</source>
        <translation>您的电脑</translation>
    </message>
    <message>
        <source>Looking for a graphics card…</source>
        <translation>正在查找显卡…</translation>
    </message>
    <message>
        <source>Graphics card:</source>
        <translation>显卡：</translation>
    </message>
    <message>
        <source>GPU add-on:</source>
        <translation>GPU 扩展：</translation>
    </message>
    <message>
        <source>How should pages be read?</source>
        <translation>如何识别页面？</translation>
    </message>
    <message>
        <source>Download DeepSeek-OCR (6.7 GB) and read on the GPU</source>
        <translation>下载 DeepSeek-OCR（6.7 GB）并在 GPU 上识别</translation>
    </message>
    <message>
        <source>Use a DeepSeek-OCR folder I already have:</source>
        <translation>使用我已有的 DeepSeek-OCR 文件夹：</translation>
    </message>
    <message>
        <source>Use the embedded engine (CPU, nothing to download)</source>
        <translation>使用内置引擎（CPU，无需下载）</translation>
    </message>
    <message>
        <source>Folder with config.json and model.safetensors</source>
        <translation>包含 config.json 和 model.safetensors 的文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Tiny (fastest, 512 px)</source>
        <translation>Tiny（最快，512 像素）</translation>
    </message>
    <message>
        <source>Small (640 px)</source>
        <translation>Small（640 像素）</translation>
    </message>
    <message>
        <source>Base (1024 px)</source>
        <translation>Base（1024 像素）</translation>
    </message>
    <message>
        <source>Large (1280 px)</source>
        <translation>Large（1280 像素）</translation>
    </message>
    <message>
        <source>Gundam (1024 px + tiles; best for documents)</source>
        <translation>Gundam（1024 像素 + 分块；最适合文档）</translation>
    </message>
    <message>
        <source>Automatic (from free GPU memory)</source>
        <translation>自动（根据空闲显存）</translation>
    </message>
    <message>
        <source>Resolution mode:</source>
        <translation>分辨率模式：</translation>
    </message>
    <message>
        <source>Pages per batch:</source>
        <translation>每批页数：</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Decide later</source>
        <translation>稍后决定</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Installed (PyTorch with CUDA, Transformers)</source>
        <translation>已安装（带 CUDA 的 PyTorch、Transformers）</translation>
    </message>
    <message>
        <source>Not installed yet: about {size:.1f} GB to download, installed when you pick the GPU.</source>
        <translation>尚未安装：约需下载 {size:.1f} GB，选择 GPU 时自动安装。</translation>
    </message>
    <message>
        <source>{name}: {memory:.1f} GB, driver {driver}, CUDA {cuda}</source>
        <translation>{name}：{memory:.1f} GB，驱动 {driver}，CUDA {cuda}</translation>
    </message>
    <message>
        <source>No NVIDIA graphics card with a working driver was found.</source>
        <translation>未找到驱动正常工作的 NVIDIA 显卡。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommended: DeepSeek-OCR in Gundam mode.&lt;/b&gt; With {memory:.0f} GB the model fits with room for several pages at once.</source>
        <translation>&lt;b&gt;推荐：DeepSeek-OCR Gundam 模式。&lt;/b&gt;{memory:.0f} GB 显存足以容纳模型，并可同时处理多页。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommended: DeepSeek-OCR in Gundam mode, one page at a time.&lt;/b&gt; {memory:.0f} GB is enough, but not for batches. If a page runs out of memory, choose Base.</source>
        <translation>&lt;b&gt;推荐：DeepSeek-OCR Gundam 模式，每次一页。&lt;/b&gt;{memory:.0f} GB 显存足够，但不适合批量处理。如果某页显存不足，请选择 Base。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommended: DeepSeek-OCR in Base mode, one page at a time.&lt;/b&gt; {memory:.0f} GB is tight: the model alone takes 6.7 GB. Large pages may run out of memory; then use Small.</source>
        <translation>&lt;b&gt;推荐：DeepSeek-OCR Base 模式，每次一页。&lt;/b&gt;{memory:.0f} GB 显存比较紧张：仅模型就占用 6.7 GB。大页面可能显存不足，此时请使用 Small。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommended: the embedded engine.&lt;/b&gt; {memory:.0f} GB of GPU memory is not enough for DeepSeek-OCR (6.7 GB of weights). The embedded engine reads plain text well on the CPU.</source>
        <translation>&lt;b&gt;推荐：内置引擎。&lt;/b&gt;{memory:.0f} GB 显存不足以运行 DeepSeek-OCR（权重 6.7 GB）。内置引擎在 CPU 上也能很好地识别普通文本。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Recommended: the embedded engine.&lt;/b&gt; It reads on the CPU with models that come with the app. DeepSeek-OCR needs an NVIDIA graphics card with at least 8 GB.</source>
        <translation>&lt;b&gt;推荐：内置引擎。&lt;/b&gt;它使用随应用提供的模型在 CPU 上识别。DeepSeek-OCR 需要至少 8 GB 显存的 NVIDIA 显卡。</translation>
    </message>
    <message>
        <source>Your NVIDIA driver is too old for the GPU add-on: update it to version {version} or newer first.</source>
        <translation>您的 NVIDIA 驱动版本过旧，无法使用 GPU 扩展：请先更新到 {version} 或更高版本。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR model folder</source>
        <translation>DeepSeek-OCR 模型文件夹</translation>
    </message>
    <message>
        <source>This folder cannot be used: {reason}</source>
        <translation>无法使用此文件夹：{reason}</translation>
    </message>
    <message>
        <source>no folder chosen</source>
        <translation>未选择文件夹</translation>
    </message>
    <message>
        <source>Installing the GPU add-on (PyTorch with CUDA)… this downloads about 3 GB.</source>
        <translation>正在安装 GPU 扩展（带 CUDA 的 PyTorch）…需要下载约 3 GB。</translation>
    </message>
    <message>
        <source>The GPU add-on installer could not start.</source>
        <translation>无法启动 GPU 扩展安装程序。</translation>
    </message>
    <message>
        <source>Installing the GPU add-on failed (exit code {code}). See the log.</source>
        <translation>GPU 扩展安装失败（退出代码 {code}）。请查看日志。</translation>
    </message>
    <message>
        <source>The GPU add-on is installed.</source>
        <translation>GPU 扩展已安装。</translation>
    </message>
    <message>
        <source>Downloading {model}…</source>
        <translation>正在下载 {model}…</translation>
    </message>
    <message>
        <source>Download stopped. It resumes where it stopped next time.</source>
        <translation>下载已停止。下次将从中断处继续。</translation>
    </message>
    <message>
        <source>The download failed: {reason}</source>
        <translation>下载失败：{reason}</translation>
    </message>
    <message>
        <source>DeepSeek-OCR is ready.</source>
        <translation>DeepSeek-OCR 已就绪。</translation>
    </message>
</context>
<context>
    <name>HistoryDialog</name>
    <message>
        <source>Text history</source>
        <translation>文本历史</translation>
    </message>
    <message>
        <source>Read by the engine</source>
        <translation>引擎识别</translation>
    </message>
    <message>
        <source>Your edits</source>
        <translation>您的编辑</translation>
    </message>
    <message>
        <source>Restored</source>
        <translation>已恢复</translation>
    </message>
    <message>
        <source>Restore This Version</source>
        <translation>恢复此版本</translation>
    </message>
    <message>
        <source>No earlier versions yet.</source>
        <translation>暂无早期版本。</translation>
    </message>
</context>
<context>
    <name>ImportWorker</name>
    <message>
        <source>The import failed: {error}</source>
        <translation>导入失败：{error}</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>about {s} s left</source>
        <translation>约剩 {s} 秒</translation>
    </message>
    <message>
        <source>about {m} min {s:02d} s left</source>
        <translation>约剩 {m} 分 {s:02d} 秒</translation>
    </message>
    <message>
        <source>about {h} h {m:02d} min left</source>
        <translation>约剩 {h} 小时 {m:02d} 分</translation>
    </message>
    <message>
        <source>Pages</source>
        <translation>页面</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>%v of %m pages</source>
        <translation>%v / %m 页</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;Read</source>
        <translation>识别(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Page</source>
        <translation>页面(&amp;P)</translation>
    </message>
    <message>
        <source>&amp;Document</source>
        <translation>文档(&amp;D)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Main toolbar</source>
        <translation>主工具栏</translation>
    </message>
    <message>
        <source>Select pages to read first</source>
        <translation>请先选择要识别的页面</translation>
    </message>
    <message>
        <source>Paused: reading stops after the current page</source>
        <translation>已暂停：识别完当前页后停止</translation>
    </message>
    <message>
        <source>Delete pages?</source>
        <translation>删除页面？</translation>
    </message>
    <message>
        <source>Remove {n} pages and their text from the project?</source>
        <translation>从项目中移除这 {n} 页及其文本？</translation>
    </message>
    <message>
        <source>Remove 1 page and its text from the project?</source>
        <translation>从项目中移除这 1 页及其文本？</translation>
    </message>
    <message>
        <source>Rename document</source>
        <translation>重命名文档</translation>
    </message>
    <message>
        <source>Name:</source>
        <translation>名称：</translation>
    </message>
    <message>
        <source>Select a page after the first one to split the document there</source>
        <translation>请选择第一页之后的某一页，在该处拆分文档</translation>
    </message>
    <message>
        <source>Select pages from two or more documents to merge them</source>
        <translation>请从两个或更多文档中选择页面以合并它们</translation>
    </message>
    <message>
        <source>Stop reading?</source>
        <translation>停止识别？</translation>
    </message>
    <message>
        <source>Pages are still being read. Stop and quit?</source>
        <translation>仍有页面正在识别。要停止并退出吗？</translation>
    </message>
</context>
<context>
    <name>MarkdownEditor</name>
    <message>
        <source>Block {n}: {label}</source>
        <translation>区块 {n}：{label}</translation>
    </message>
</context>
<context>
    <name>ModelDialog</name>
    <message>
        <source>DeepSeek-OCR model</source>
        <translation>DeepSeek-OCR 模型</translation>
    </message>
    <message>
        <source>Download from the Hugging Face hub</source>
        <translation>从 Hugging Face Hub 下载</translation>
    </message>
    <message>
        <source>Use a folder I already have</source>
        <translation>使用我已有的文件夹</translation>
    </message>
    <message>
        <source>Hub model</source>
        <translation>Hub 模型</translation>
    </message>
    <message>
        <source>40-character commit hash</source>
        <translation>40 位提交哈希</translation>
    </message>
    <message>
        <source>Use the tested pin</source>
        <translation>使用经过测试的固定版本</translation>
    </message>
    <message>
        <source>Look up newest commit</source>
        <translation>查找最新提交</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Cancel download</source>
        <translation>取消下载</translation>
    </message>
    <message>
        <source>Delete downloaded files</source>
        <translation>删除已下载的文件</translation>
    </message>
    <message>
        <source>Use this copy</source>
        <translation>使用此副本</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Offline mode: never connect to the network</source>
        <translation>离线模式：从不连接网络</translation>
    </message>
    <message>
        <source>The model&apos;s own code</source>
        <translation>模型自带的代码</translation>
    </message>
    <message>
        <source>I trust this model&apos;s code and allow it to run on this computer</source>
        <translation>我信任此模型的代码，并允许它在这台电脑上运行</translation>
    </message>
    <message>
        <source>Use this model</source>
        <translation>使用此模型</translation>
    </message>
    <message>
        <source>Set by the HF_HUB_OFFLINE environment variable.</source>
        <translation>由 HF_HUB_OFFLINE 环境变量设置。</translation>
    </message>
    <message>
        <source>Pinned: {0}</source>
        <translation>固定版本：{0}</translation>
    </message>
    <message>
        <source>Not the tested pin: check this commit on the hub before trusting it.</source>
        <translation>不是经过测试的固定版本：信任之前请在 Hub 上核对此提交。</translation>
    </message>
    <message>
        <source>Asking the hub for the newest commit…</source>
        <translation>正在向 Hub 查询最新提交…</translation>
    </message>
    <message>
        <source>Newest commit {0}: not the tested pin. Check it before trusting its code.</source>
        <translation>最新提交 {0}：不是经过测试的固定版本。信任其代码之前请先核对。</translation>
    </message>
    <message>
        <source>Not the tested pin: check this commit on the hub.</source>
        <translation>不是经过测试的固定版本：请在 Hub 上核对此提交。</translation>
    </message>
    <message>
        <source>Choose the model folder</source>
        <translation>选择模型文件夹</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>正在开始…</translation>
    </message>
    <message>
        <source>Delete the downloaded files of {0} at {1}? You can download them again later.</source>
        <translation>要删除 {0} 在 {1} 的已下载文件吗？以后可以重新下载。</translation>
    </message>
    <message>
        <source>Could not delete the files: {0}</source>
        <translation>无法删除文件：{0}</translation>
    </message>
    <message>
        <source>Deleted {0}.</source>
        <translation>已删除 {0}。</translation>
    </message>
    <message>
        <source>Downloaded and verified: {0}</source>
        <translation>已下载并校验：{0}</translation>
    </message>
    <message>
        <source>Download paused with {0} kept. Press Resume to continue.</source>
        <translation>下载已暂停，已保留 {0}。按“继续下载”以继续。</translation>
    </message>
    <message>
        <source>Found in your Hugging Face cache: {0}</source>
        <translation>在您的 Hugging Face 缓存中找到：{0}</translation>
    </message>
    <message>
        <source>Choose the folder that holds config.json.</source>
        <translation>请选择包含 config.json 的文件夹。</translation>
    </message>
    <message>
        <source>Already on this computer: {0}</source>
        <translation>已在这台电脑上：{0}</translation>
    </message>
    <message>
        <source>Size: {0} in {1} files</source>
        <translation>大小：{0}，共 {1} 个文件</translation>
    </message>
    <message>
        <source> · {0} already downloaded</source>
        <translation> · 已下载 {0}</translation>
    </message>
    <message>
        <source>Free space in {0}: {1}{2}</source>
        <translation>{0} 的可用空间：{1}{2}</translation>
    </message>
    <message>
        <source> — not enough, {0} needed</source>
        <translation> — 空间不足，需要 {0}</translation>
    </message>
    <message>
        <source>about {0} (published size)</source>
        <translation>约 {0}（公布大小）</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source> · checking the exact size…</source>
        <translation> · 正在确认精确大小…</translation>
    </message>
    <message>
        <source>Size: {0}{1}</source>
        <translation>大小：{0}{1}</translation>
    </message>
    <message>
        <source>Free space in {0}: {1}</source>
        <translation>{0} 的可用空间：{1}</translation>
    </message>
    <message>
        <source>The list of code files to review appears here once the model is on disk.</source>
        <translation>模型下载到本地后，需要审阅的代码文件列表将显示在这里。</translation>
    </message>
    <message>
        <source>The code changed since you last allowed it.</source>
        <translation>自您上次允许以来，代码已发生变化。</translation>
    </message>
    <message>
        <source>Downloading…</source>
        <translation>正在下载…</translation>
    </message>
    <message>
        <source>Downloaded</source>
        <translation>已下载</translation>
    </message>
    <message>
        <source>Resume download</source>
        <translation>继续下载</translation>
    </message>
    <message>
        <source>A revision must be a full 40-character commit hash; &apos;Look up newest commit&apos; finds one.</source>
        <translation>版本必须是完整的 40 位提交哈希；“查找最新提交”可以找到一个。</translation>
    </message>
    <message>
        <source>Offline: nothing will be downloaded. Use a folder you already have, or go online.</source>
        <translation>离线：不会下载任何内容。请使用已有的文件夹，或切换到在线。</translation>
    </message>
    <message>
        <source>Settings could not be saved: {0}</source>
        <translation>无法保存设置：{0}</translation>
    </message>
</context>
<context>
    <name>OcrWorker</name>
    <message>
        <source>No OCR engine is configured.</source>
        <translation>尚未配置 OCR 引擎。</translation>
    </message>
    <message>
        <source>Loading the engine was cancelled.</source>
        <translation>引擎加载已取消。</translation>
    </message>
    <message>
        <source>The {name} engine could not be loaded: {error}</source>
        <translation>无法加载 {name} 引擎：{error}</translation>
    </message>
    <message>
        <source>Reading stopped because of an error: {error}</source>
        <translation>识别因错误而停止：{error}</translation>
    </message>
    <message>
        <source>The OCR engine is not available.</source>
        <translation>OCR 引擎不可用。</translation>
    </message>
</context>
<context>
    <name>PageCanvas</name>
    <message>
        <source>No page selected</source>
        <translation>未选择页面</translation>
    </message>
    <message>
        <source>Rendering page…</source>
        <translation>正在渲染页面…</translation>
    </message>
</context>
<context>
    <name>PageDelegate</name>
    <message>
        <source>{n} p.</source>
        <extracomment>Fixed state colours: solid badge backgrounds with white glyphs read on light and dark alike.</extracomment>
        <translation>{n} 页</translation>
    </message>
</context>
<context>
    <name>PageListModel</name>
    <message>
        <source>p. {n}</source>
        <extracomment>Thumbnails the model keeps itself (the source keeps its own cache as well). Requested thumbnail size (longest side, device pixels).</extracomment>
        <translation>第 {n} 页</translation>
    </message>
    <message>
        <source>{document}, page {n} of {total}</source>
        <translation>{document}，第 {n} 页，共 {total} 页</translation>
    </message>
    <message>
        <source>, reviewed</source>
        <translation>，已校对</translation>
    </message>
</context>
<context>
    <name>PageState</name>
    <message>
        <source>Not read</source>
        <extracomment>MIME type of dragged pages: a JSON list of page ids.</extracomment>
        <translation>未识别</translation>
    </message>
    <message>
        <source>Queued</source>
        <translation>排队中</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>识别中</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>已识别</translation>
    </message>
    <message>
        <source>Edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>失败</translation>
    </message>
    <message>
        <source>Incomplete</source>
        <translation>不完整</translation>
    </message>
</context>
<context>
    <name>ReadOptionsDialog</name>
    <message>
        <source>Read {n} page(s) with...</source>
        <extracomment>The model&apos;s positions: prompt and output together never exceed them (the engine caps too).</extracomment>
        <translation>识别 {n} 页，使用...</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>The text to find on the page</source>
        <translation>要在页面上查找的文本</translation>
    </message>
    <message>
        <source>Locate</source>
        <translation>定位</translation>
    </message>
    <message>
        <source>Custom prompt</source>
        <translation>自定义提示词</translation>
    </message>
    <message>
        <source>Resolution mode</source>
        <translation>分辨率模式</translation>
    </message>
    <message>
        <source> tokens</source>
        <translation> 个 token</translation>
    </message>
    <message>
        <source>Token cap</source>
        <translation>token 上限</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>识别</translation>
    </message>
</context>
<context>
    <name>ReadingMixin</name>
    <message>
        <source>Cancelled the current page</source>
        <extracomment>The next resolution mode down, offered when a page ran out of GPU memory.</extracomment>
        <translation>已取消当前页面</translation>
    </message>
    <message>
        <source>Reading cancelled</source>
        <translation>识别已取消</translation>
    </message>
    <message>
        <source>A page</source>
        <translation>某一页</translation>
    </message>
    <message>
        <source>Reading failed</source>
        <translation>识别失败</translation>
    </message>
    <message>
        <source>Loading engine {percent} {message}</source>
        <translation>正在加载引擎 {percent} {message}</translation>
    </message>
    <message>
        <source>Loading engine {message}</source>
        <translation>正在加载引擎 {message}</translation>
    </message>
    <message>
        <source>{engine} on {device}</source>
        <translation>{engine}，运行于 {device}</translation>
    </message>
    <message>
        <source>Engine not available</source>
        <translation>引擎不可用</translation>
    </message>
    <message>
        <source>The OCR engine could not be started</source>
        <translation>无法启动 OCR 引擎</translation>
    </message>
</context>
<context>
    <name>RetryOffer</name>
    <message>
        <source>Out of GPU memory</source>
        <translation>GPU 显存不足</translation>
    </message>
    <message>
        <source>{n} page(s) did not fit in the GPU&apos;s memory. Read them again in the smaller {mode} mode?</source>
        <translation>有 {n} 页超出了 GPU 显存容量。要以较小的 {mode} 模式重新识别吗？</translation>
    </message>
    <message>
        <source>The model stays loaded. You can also lower the batch size in the settings.</source>
        <translation>模型仍保持加载。您也可以在设置中调小批处理大小。</translation>
    </message>
    <message>
        <source>Read Again</source>
        <translation>重新识别</translation>
    </message>
</context>
<context>
    <name>ReviewFlow</name>
    <message>
        <source>Find in Document</source>
        <translation>在文档中查找</translation>
    </message>
    <message>
        <source>Reviewed {done} of {total}</source>
        <translation>已校对 {done}/{total}</translation>
    </message>
    <message>
        <source>“{doc}”: {done} of {total} pages reviewed; {n} need attention (F8 goes to the next)</source>
        <translation>“{doc}”：{total} 页中已校对 {done} 页；{n} 页需要处理（按 F8 转到下一页）</translation>
    </message>
    <message>
        <source>reading failed</source>
        <translation>识别失败</translation>
    </message>
    <message>
        <source>incomplete (possible repetition)</source>
        <translation>不完整（可能有重复输出）</translation>
    </message>
    <message>
        <source>not read yet</source>
        <translation>尚未识别</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>已编辑</translation>
    </message>
    <message>
        <source>not reviewed</source>
        <translation>未校对</translation>
    </message>
    <message>
        <source>No other page needs attention</source>
        <translation>没有其他需要处理的页面</translation>
    </message>
    <message>
        <source>No page needs attention: every page is reviewed</source>
        <translation>没有需要处理的页面：所有页面均已校对</translation>
    </message>
</context>
<context>
    <name>SettingsDialog</name>
    <message>
        <source>Automatic (DeepSeek-OCR when a GPU and the model are there, else embedded)</source>
        <translation>自动（有 GPU 和模型时使用 DeepSeek-OCR，否则使用内置引擎）</translation>
    </message>
    <message>
        <source>Embedded (RapidOCR on the CPU, always available)</source>
        <translation>内置（CPU 上的 RapidOCR，始终可用）</translation>
    </message>
    <message>
        <source>DeepSeek-OCR (local GPU)</source>
        <translation>DeepSeek-OCR（本地 GPU）</translation>
    </message>
    <message>
        <source>Document to Markdown</source>
        <translation>文档转 Markdown</translation>
    </message>
    <message>
        <source>OCR image</source>
        <translation>图像 OCR</translation>
    </message>
    <message>
        <source>Free OCR (text only)</source>
        <translation>自由 OCR（仅文本）</translation>
    </message>
    <message>
        <source>Parse figure</source>
        <translation>解析图表</translation>
    </message>
    <message>
        <source>Describe image</source>
        <translation>描述图像</translation>
    </message>
    <message>
        <source>Locate text</source>
        <translation>定位文本</translation>
    </message>
    <message>
        <source>Extract table</source>
        <translation>提取表格</translation>
    </message>
    <message>
        <source>Custom prompt</source>
        <translation>自定义提示词</translation>
    </message>
    <message>
        <source>Tiny</source>
        <translation>Tiny（极小）</translation>
    </message>
    <message>
        <source>Small</source>
        <translation>Small（小）</translation>
    </message>
    <message>
        <source>Base</source>
        <translation>Base（基本）</translation>
    </message>
    <message>
        <source>Large</source>
        <translation>Large（大）</translation>
    </message>
    <message>
        <source>Gundam</source>
        <translation>Gundam（高达）</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Reading</source>
        <translation>识别</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>引擎</translation>
    </message>
    <message>
        <source> dpi</source>
        <translation> dpi</translation>
    </message>
    <message>
        <source>Resolution at which PDF pages are rendered for new projects (144 as the official scripts)</source>
        <translation>新项目中渲染 PDF 页面所用的分辨率（官方脚本为 144）</translation>
    </message>
    <message>
        <source>PDF resolution</source>
        <translation>PDF 分辨率</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Between pages</source>
        <translation>页面之间</translation>
    </message>
    <message>
        <source>Download from the Hugging Face hub</source>
        <translation>从 Hugging Face Hub 下载</translation>
    </message>
    <message>
        <source>A folder I already have</source>
        <translation>我已有的文件夹</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Hub id</source>
        <translation>Hub ID</translation>
    </message>
    <message>
        <source>the pinned revision</source>
        <translation>固定的版本</translation>
    </message>
    <message>
        <source>Revision</source>
        <translation>版本</translation>
    </message>
    <message>
        <source>Browse...</source>
        <translation>浏览...</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Resolution mode</source>
        <translation>分辨率模式</translation>
    </message>
    <message>
        <source>Prompt</source>
        <translation>提示词</translation>
    </message>
    <message>
        <source>&lt;image&gt;\n... (for a custom prompt)</source>
        <translation>&lt;image&gt;\n...（用于自定义提示词）</translation>
    </message>
    <message>
        <source>Token cap per page</source>
        <translation>每页 token 上限</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Pages per batch</source>
        <translation>每批页数</translation>
    </message>
    <message>
        <source>Offline: never use the network</source>
        <translation>离线：从不使用网络</translation>
    </message>
    <message>
        <source>DeepSeek-OCR model folder</source>
        <translation>DeepSeek-OCR 模型文件夹</translation>
    </message>
</context>
</TS>
