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
        <source>Cancel Current Pa&amp;ge</source>
        <translation>取消当前页(&amp;G)</translation>
    </message>
    <message>
        <source>Stop reading the page being read now; the pages after it are still read</source>
        <translation>停止识别当前正在识别的页面；其后的页面仍会继续识别</translation>
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
        <source>Mark &amp;Uncertain Words</source>
        <translation>标记不确定的词(&amp;U)</translation>
    </message>
    <message>
        <source>Underline the words the engine was unsure of (F8 in the text goes to the next one)</source>
        <translation>为引擎不确定的词加下划线(在文本中按 F8 跳到下一个)</translation>
    </message>
    <message>
        <source>Check &amp;Spelling</source>
        <translation>检查拼写(&amp;S)</translation>
    </message>
    <message>
        <source>Underline words that are not in the dictionaries chosen in Settings</source>
        <translation>为不在“设置”所选词典中的词加下划线</translation>
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
    <name>AddonInstaller</name>
    <message>
        <source>This Python has no pip, which installs the GPU add-on. Install pip for it (for example the python3-pip package, or: python -m ensurepip) and try again.</source>
        <extracomment>progress_changed&apos;s value while the bar should only show that work goes on. Per mille done (or BUSY), and a line saying what happens now. True when the add-on is installed and on sys.path; the message to show either way.</extracomment>
        <translation>此 Python 没有 pip，而安装 GPU 扩展需要它。请为它安装 pip（例如 python3-pip 软件包，或运行：python -m ensurepip），然后重试。</translation>
    </message>
    <message>
        <source>The add-on folder cannot be written: {error}</source>
        <translation>无法写入扩展文件夹：{error}</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>正在停止…</translation>
    </message>
    <message>
        <source>Putting the GPU add-on in place…</source>
        <translation>正在将 GPU 扩展放置到位…</translation>
    </message>
    <message>
        <source>Installing {n} packages into the app&apos;s folder ({clock}; this takes a few minutes, nothing more is downloaded)…</source>
        <translation>正在将 {n} 个软件包安装到应用的文件夹中（{clock}；需要几分钟，不会再下载任何内容）…</translation>
    </message>
    <message>
        <source>Starting pip ({clock})…</source>
        <translation>正在启动 pip（{clock}）…</translation>
    </message>
    <message>
        <source>Getting {package} ({clock}): {n} of about {total} packages, {mb:.0f} MB downloaded…</source>
        <translation>正在获取 {package}（{clock}）：第 {n} 个，共约 {total} 个软件包，已下载 {mb:.0f} MB…</translation>
    </message>
    <message>
        <source>The GPU add-on installer could not start ({program}).</source>
        <translation>无法启动 GPU 扩展安装程序（{program}）。</translation>
    </message>
    <message>
        <source>Installation stopped. Nothing was kept; you can start it again.</source>
        <translation>安装已停止。没有保留任何内容；您可以重新开始安装。</translation>
    </message>
    <message>
        <source>The GPU add-on was downloaded but could not be moved into place: {error}. Restart the app and try again.</source>
        <translation>GPU 扩展已下载，但无法移动到位：{error}。请重新启动应用后重试。</translation>
    </message>
    <message>
        <source>The GPU add-on is installed ({size:.1f} GB).</source>
        <translation>GPU 扩展已安装（{size:.1f} GB）。</translation>
    </message>
    <message>
        <source>The GPU add-on could not be downloaded: check the internet connection (and proxy settings), then try again.</source>
        <translation>无法下载 GPU 扩展：请检查网络连接（以及代理设置），然后重试。</translation>
    </message>
    <message>
        <source>There is not enough disk space for the GPU add-on: it needs about {size:.0f} GB free.</source>
        <translation>磁盘空间不足，无法安装 GPU 扩展：需要约 {size:.0f} GB 的可用空间。</translation>
    </message>
    <message>
        <source>This Python has no pip, which installs the GPU add-on. Install pip and try again.</source>
        <translation>此 Python 没有 pip，而安装 GPU 扩展需要它。请安装 pip 后重试。</translation>
    </message>
    <message>
        <source>Installing the GPU add-on failed (exit code {code}).</source>
        <translation>GPU 扩展安装失败（退出代码 {code}）。</translation>
    </message>
    <message>
        <source>pip said: {line}</source>
        <translation>pip 输出：{line}</translation>
    </message>
    <message>
        <source>Nothing was kept; the details are in the log.</source>
        <translation>没有保留任何内容；详细信息见日志。</translation>
    </message>
</context>
<context>
    <name>App</name>
    <message>
        <source>Settings not used: {problems}</source>
        <extracomment>The signal that asked the running event loop to quit (0: none). A log-out or ``xvfb-run`` ends the X server together with its clients: Qt then ends the loop with status 1 (&quot;The X11 connection broke&quot;), though the quit asked for was already under way and the shutdown runs in full.</extracomment>
        <translation>未使用的设置：{problems}</translation>
    </message>
</context>
<context>
    <name>AsyncJob</name>
    <message>
        <source>Unexpected error: {error}</source>
        <extracomment>Emitted last, whatever the outcome.</extracomment>
        <translation>意外错误：{error}</translation>
    </message>
</context>
<context>
    <name>BlockFlow</name>
    <message>
        <source>&amp;Split Block at Cursor</source>
        <extracomment>The labels offered for relabelling and new boxes, in menu order.</extracomment>
        <translation>在光标处拆分区块(&amp;S)</translation>
    </message>
    <message>
        <source>Make two blocks of the block the cursor is in</source>
        <translation>将光标所在的区块拆分为两个区块</translation>
    </message>
    <message>
        <source>&amp;Merge with Next Block</source>
        <translation>与下一个区块合并(&amp;M)</translation>
    </message>
    <message>
        <source>Join the current block and the one after it</source>
        <translation>将当前区块与其后的区块合并</translation>
    </message>
    <message>
        <source>Move Block &amp;Earlier</source>
        <translation>区块前移(&amp;E)</translation>
    </message>
    <message>
        <source>Move the current block one place earlier in the reading order</source>
        <translation>将当前区块在阅读顺序中前移一位</translation>
    </message>
    <message>
        <source>Move Block &amp;Later</source>
        <translation>区块后移(&amp;L)</translation>
    </message>
    <message>
        <source>Move the current block one place later in the reading order</source>
        <translation>将当前区块在阅读顺序中后移一位</translation>
    </message>
    <message>
        <source>Move Block &amp;To…</source>
        <translation>移动区块到(&amp;T)…</translation>
    </message>
    <message>
        <source>Give the current block another place in the reading order</source>
        <translation>为当前区块指定阅读顺序中的新位置</translation>
    </message>
    <message>
        <source>Show Reading &amp;Order</source>
        <translation>显示阅读顺序(&amp;O)</translation>
    </message>
    <message>
        <source>Number the blocks on the page in their reading order; drag a number onto another block to move it there</source>
        <translation>按阅读顺序为页面上的区块编号；将编号拖到另一个区块上即可移到该处</translation>
    </message>
    <message>
        <source>&amp;Delete Block</source>
        <translation>删除区块(&amp;D)</translation>
    </message>
    <message>
        <source>Remove the current block&apos;s text and box</source>
        <translation>删除当前区块的文本和框</translation>
    </message>
    <message>
        <source>Draw &amp;Box</source>
        <translation>绘制框(&amp;B)</translation>
    </message>
    <message>
        <source>Draw a rectangle on the page to read it again or to add a block</source>
        <translation>在页面上绘制矩形，以重新识别该处或添加区块</translation>
    </message>
    <message>
        <source>Read Block &amp;Again…</source>
        <translation>重新识别区块(&amp;A)…</translation>
    </message>
    <message>
        <source>Read the current block&apos;s area of the page again</source>
        <translation>重新识别当前区块在页面上的区域</translation>
    </message>
    <message>
        <source>&amp;Locate on Page…</source>
        <translation>在页面上定位(&amp;L)…</translation>
    </message>
    <message>
        <source>Find where a phrase is on the page (the model&apos;s locate prompt)</source>
        <translation>查找短语在页面上的位置（使用模型的定位提示词）</translation>
    </message>
    <message>
        <source>&amp;Clear Located Marks</source>
        <translation>清除定位标记(&amp;C)</translation>
    </message>
    <message>
        <source>&amp;Relabel</source>
        <translation>更改标签(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Block</source>
        <translation>区块(&amp;B)</translation>
    </message>
    <message>
        <source>The region read or locate was cancelled: another page is shown.</source>
        <translation>区域识别或定位已取消：当前显示的是另一页。</translation>
    </message>
    <message>
        <source>Block deleted. Undo (Ctrl+Z) brings it back.</source>
        <translation>区块已删除。撤销 (Ctrl+Z) 可将其恢复。</translation>
    </message>
    <message>
        <source>Move Block</source>
        <translation>移动区块</translation>
    </message>
    <message>
        <source>New place of block {n} in the reading order (1 to {count}):</source>
        <translation>区块 {n} 在阅读顺序中的新位置（1 到 {count}）：</translation>
    </message>
    <message>
        <source>Block {n} is now block {m}.</source>
        <translation>区块 {n} 现在是区块 {m}。</translation>
    </message>
    <message>
        <source>Put the cursor inside a block&apos;s text, where the new block should start.</source>
        <translation>请将光标放在区块文本中新区块应开始的位置。</translation>
    </message>
    <message>
        <source>New text</source>
        <translation>新文本</translation>
    </message>
    <message>
        <source>&amp;Read Region (adds new blocks)</source>
        <translation>识别区域(&amp;R)（添加新区块）</translation>
    </message>
    <message>
        <source>&amp;Read Region (replaces the outlined block)</source>
        <translation>识别区域(&amp;R)（替换框出的区块）</translation>
    </message>
    <message>
        <source>&amp;Read Region (replaces the {n} outlined blocks)</source>
        <translation>识别区域(&amp;R)（替换框出的 {n} 个区块）</translation>
    </message>
    <message>
        <source>Replace the {n} blocks outlined in red (those mostly inside the region)</source>
        <translation>替换红框标出的 {n} 个区块（大部分位于区域内的区块）</translation>
    </message>
    <message>
        <source>Otherwise the region&apos;s text is added as new blocks. Text that lies on a block that stays is never added a second time.</source>
        <translation>否则，区域的文本将作为新区块添加。位于保留区块上的文本不会被重复添加。</translation>
    </message>
    <message>
        <source>Read Region &amp;With…</source>
        <translation>按指定选项识别区域(&amp;W)…</translation>
    </message>
    <message>
        <source>&amp;Add Block Here</source>
        <translation>在此添加区块(&amp;A)</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Read Region With</source>
        <translation>按指定选项识别区域</translation>
    </message>
    <message>
        <source>Reading the region…</source>
        <translation>正在识别区域…</translation>
    </message>
    <message>
        <source>The region&apos;s text was not used: another page is shown now.</source>
        <translation>未使用区域的文本：当前显示的是另一页。</translation>
    </message>
    <message>
        <source>The region&apos;s text was not used: the page is being read now.</source>
        <translation>未使用区域的文本：该页正在识别中。</translation>
    </message>
    <message>
        <source>Nothing was read in the region.</source>
        <translation>区域中没有识别到任何内容。</translation>
    </message>
    <message>
        <source>The region&apos;s text was discarded.</source>
        <translation>已丢弃区域的文本。</translation>
    </message>
    <message>
        <source>Nothing new was read: the region&apos;s text is in the page&apos;s blocks already.</source>
        <translation>没有识别出新内容：区域的文本已在页面的区块中。</translation>
    </message>
    <message>
        <source>Replaced a block with the region&apos;s text. Undo (Ctrl+Z) restores it.</source>
        <translation>已用区域的文本替换一个区块。撤销 (Ctrl+Z) 可将其恢复。</translation>
    </message>
    <message>
        <source>Replaced {n} blocks with the region&apos;s text. Undo (Ctrl+Z) restores them.</source>
        <translation>已用区域的文本替换 {n} 个区块。撤销 (Ctrl+Z) 可将其恢复。</translation>
    </message>
    <message>
        <source>The region&apos;s text was added as new blocks.</source>
        <translation>区域的文本已作为新区块添加。</translation>
    </message>
    <message>
        <source>Replace Edited Text?</source>
        <translation>替换已编辑的文本？</translation>
    </message>
    <message>
        <source>You edited this page. Replace the block inside the region with the new text?</source>
        <translation>您编辑过此页面。要用新文本替换区域内的区块吗？</translation>
    </message>
    <message>
        <source>You edited this page. Replace the {n} blocks inside the region with the new text?</source>
        <translation>您编辑过此页面。要用新文本替换区域内的 {n} 个区块吗？</translation>
    </message>
    <message>
        <source>Your version is kept in Text History, and Undo (Ctrl+Z) brings it back.</source>
        <translation>您的版本会保留在文本历史中，撤销 (Ctrl+Z) 也可将其恢复。</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>替换(&amp;R)</translation>
    </message>
    <message>
        <source>&amp;Insert as New Blocks</source>
        <translation>作为新区块插入(&amp;I)</translation>
    </message>
    <message>
        <source>Locate on Page</source>
        <translation>在页面上定位</translation>
    </message>
    <message>
        <source>Find where this text is on the page:</source>
        <translation>查找此文本在页面上的位置：</translation>
    </message>
    <message>
        <source>Locating “{phrase}”…</source>
        <translation>正在定位“{phrase}”…</translation>
    </message>
    <message>
        <source>Found “{phrase}” in one place.</source>
        <translation>在 1 处找到“{phrase}”。</translation>
    </message>
    <message>
        <source>Found “{phrase}” in {n} places.</source>
        <translation>在 {n} 处找到“{phrase}”。</translation>
    </message>
    <message>
        <source>“{phrase}” was not found on this page.</source>
        <translation>在此页面上未找到“{phrase}”。</translation>
    </message>
    <message>
        <source>Desktop OCR</source>
        <translation>桌面 OCR</translation>
    </message>
</context>
<context>
    <name>BlockLabel</name>
    <message>
        <source>Title</source>
        <extracomment>Colours of the labels DeepSeek-OCR and the embedded engine produce. Mid-saturation hues that stay readable over white paper and as tags with white text, in light and dark themes alike. Colours for labels not listed above, chosen by a stable hash of the label. The known labels as shown to users (menus, tags on the page, tool tips), marked for translation; the stored labels (``sub_title``, ``image_caption``...) stay what the engines write.</extracomment>
        <translation>标题</translation>
    </message>
    <message>
        <source>Subtitle</source>
        <translation>副标题</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>正文</translation>
    </message>
    <message>
        <source>Line</source>
        <translation>文本行</translation>
    </message>
    <message>
        <source>List</source>
        <translation>列表</translation>
    </message>
    <message>
        <source>Table</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Table Caption</source>
        <translation>表格标题</translation>
    </message>
    <message>
        <source>Table Footnote</source>
        <translation>表格脚注</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>插图</translation>
    </message>
    <message>
        <source>Figure Caption</source>
        <translation>插图说明</translation>
    </message>
    <message>
        <source>Equation</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>Formula</source>
        <translation>公式</translation>
    </message>
    <message>
        <source>Header</source>
        <translation>页眉</translation>
    </message>
    <message>
        <source>Footer</source>
        <translation>页脚</translation>
    </message>
    <message>
        <source>Page Number</source>
        <translation>页码</translation>
    </message>
    <message>
        <source>Footnote</source>
        <translation>脚注</translation>
    </message>
    <message>
        <source>Reference</source>
        <translation>参考文献</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>区块</translation>
    </message>
</context>
<context>
    <name>Controller</name>
    <message>
        <source>Loading {name} engine...</source>
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
        <extracomment>The store writes every change at once; this retries a failed write (disk full...) this often. The OCR worker&apos;s signals that the reading service answers (same names, same arguments). pages queued or being read and region requests, by job; answers applied to the project the page list&apos;s thumbnails (the render worker&apos;s, through a port: widgets never get a worker)</extracomment>
        <translation>引擎：{name}（开始识别时加载）</translation>
    </message>
    <message>
        <source>Could not save the settings: {error}</source>
        <translation>无法保存设置：{error}</translation>
    </message>
    <message>
        <source>{name} (read-only)</source>
        <translation>{name}（只读）</translation>
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
        <source>The project opened read-only</source>
        <translation>项目以只读方式打开</translation>
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
        <source>Importing {n} item...</source>
        <translation>正在导入 {n} 项...</translation>
    </message>
    <message>
        <source>Importing {n} items...</source>
        <translation>正在导入 {n} 项...</translation>
    </message>
    <message>
        <source>Exporting {n} document...</source>
        <translation>正在导出 {n} 个文档...</translation>
    </message>
    <message>
        <source>Exporting {n} documents...</source>
        <translation>正在导出 {n} 个文档...</translation>
    </message>
    <message>
        <source>{name} is damaged and open read-only: use File &gt; Save As to keep a repaired copy.</source>
        <translation>{name} 已损坏，以只读方式打开：请用“文件 &gt; 另存为”保存一份修复后的副本。</translation>
    </message>
    <message>
        <source>Damaged: {what}</source>
        <translation>已损坏：{what}</translation>
    </message>
    <message>
        <source>... and {n} more damaged values</source>
        <translation>……另有 {n} 个损坏的值</translation>
    </message>
    <message>
        <source>Damaged values are replaced by safe ones (0, empty, not read) in the copy.</source>
        <translation>副本中损坏的值会被替换为安全的值（0、空、未识别）。</translation>
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
        <source>Pasted image</source>
        <translation>粘贴的图像</translation>
    </message>
    <message>
        <source>Importing {n}/{total}: {name}</source>
        <translation>正在导入 {n}/{total}：{name}</translation>
    </message>
    <message>
        <source>Nothing was imported</source>
        <translation>未导入任何内容</translation>
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
    <message>
        <source>{page} read by {server} in {seconds:.1f} s</source>
        <translation>{page} 由 {server} 识别，用时 {seconds:.1f} 秒</translation>
    </message>
    <message>
        <source>Nothing to export</source>
        <translation>没有可导出的内容</translation>
    </message>
    <message>
        <source>An export is already running</source>
        <translation>已有导出正在进行</translation>
    </message>
    <message>
        <source>The export is done, with some problems</source>
        <translation>导出已完成，但有一些问题</translation>
    </message>
    <message>
        <source>Cancelled the current page</source>
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
        <source>{page}: {reason}</source>
        <translation>{page}：{reason}</translation>
    </message>
    <message>
        <source>Reading failed</source>
        <translation>识别失败</translation>
    </message>
    <message>
        <source>{n} page restored</source>
        <translation>已恢复 {n} 页</translation>
    </message>
    <message>
        <source>{n} pages restored</source>
        <translation>已恢复 {n} 页</translation>
    </message>
    <message>
        <source>Nothing was imported: the password for {names} is wrong</source>
        <translation>未导入任何内容：{names} 的密码错误</translation>
    </message>
    <message>
        <source>Nothing was imported yet: {names} needs a password</source>
        <translation>尚未导入任何内容：{names} 需要密码</translation>
    </message>
    <message>
        <source>Imported {documents}, {pages}</source>
        <translation>已导入 {documents}，共 {pages}</translation>
    </message>
    <message>
        <source>{n} document</source>
        <translation>{n} 个文档</translation>
    </message>
    <message>
        <source>{n} documents</source>
        <translation>{n} 个文档</translation>
    </message>
    <message>
        <source>{n} page</source>
        <translation>{n} 页</translation>
    </message>
    <message>
        <source>{n} pages</source>
        <translation>{n} 页</translation>
    </message>
    <message>
        <source>Exported {n} file to {folder}</source>
        <translation>已将 {n} 个文件导出到 {folder}</translation>
    </message>
    <message>
        <source>Exported {n} files to {folder}</source>
        <translation>已将 {n} 个文件导出到 {folder}</translation>
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
    <message>
        <source>The page was rotated while it was being read: please try again.</source>
        <translation>页面在识别过程中被旋转了：请重试。</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>Desktop OCR: unexpected error</source>
        <extracomment>Ends the header of the native trace file; anything after it was written by ``faulthandler``. Called on the GUI thread with (summary, report_path) to show a dialog; set by the app. The file ``faulthandler`` writes into; open for the whole life of the process.</extracomment>
        <translation>桌面 OCR：意外错误</translation>
    </message>
    <message>
        <source>Something went wrong inside Desktop OCR. Your project is autosaved; you can keep working, or save and restart the app.</source>
        <translation>桌面 OCR 内部出现了问题。您的项目已自动保存；您可以继续工作，也可以保存后重新启动应用。</translation>
    </message>
    <message>
        <source>{summary}

Details were written to:
{path}
Log: {log}</source>
        <translation>{summary}

详细信息已写入：
{path}
日志：{log}</translation>
    </message>
</context>
<context>
    <name>Dialogs</name>
    <message>
        <source>Copy Path</source>
        <translation>复制路径</translation>
    </message>
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
        <source>Import these files again?</source>
        <translation>再次导入这些文件？</translation>
    </message>
    <message>
        <source>{n} of the documents are already in this project, made of the same files:</source>
        <translation>其中 {n} 个文档已在本项目中，由相同的文件组成：</translation>
    </message>
    <message>
        <source>Skip Them</source>
        <translation>跳过它们</translation>
    </message>
    <message>
        <source>Add a Copy</source>
        <translation>添加副本</translation>
    </message>
    <message>
        <source>Remove unknown SQL from this project?</source>
        <translation>要从此项目中删除未知的 SQL 吗？</translation>
    </message>
    <message>
        <source>{name} contains SQL that this app did not write ({count} items).</source>
        <translation>{name} 含有不是本应用写入的 SQL（{count} 项）。</translation>
    </message>
    <message>
        <source>Someone may have added it to change or delete your text, or to stop the app, when the project is saved. Removing it keeps every page, text and version of the project.</source>
        <translation>有人可能添加了它，以便在保存项目时更改或删除您的文字，或使应用停止响应。删除它会保留项目的所有页面、文字和版本。</translation>
    </message>
    <message>
        <source>Remove and Open</source>
        <translation>删除并打开</translation>
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
        <source>Make one document?</source>
        <translation>合并为一个文档？</translation>
    </message>
    <message>
        <source>Make one document of the {n} images, named {name}?</source>
        <translation>将这 {n} 张图片合并为一个名为 {name} 的文档？</translation>
    </message>
    <message>
        <source>Pages of scanned books or letters belong together; unrelated pictures do not.</source>
        <translation>扫描的书页或信件属于同一文档；无关的图片则不然。</translation>
    </message>
    <message>
        <source>One Document</source>
        <translation>一个文档</translation>
    </message>
    <message>
        <source>One Document Each</source>
        <translation>每张一个文档</translation>
    </message>
    <message>
        <source>{read} of the {total} pages are read already.</source>
        <translation>{total} 页中已有 {read} 页识别过。</translation>
    </message>
    <message>
        <source>{edited} of them has your corrections.</source>
        <translation>其中 {edited} 页有您的校对。</translation>
    </message>
    <message>
        <source>{edited} of them have your corrections.</source>
        <translation>其中 {edited} 页有您的校对。</translation>
    </message>
    <message>
        <source>Reading a page again replaces its text with the engine&apos;s; earlier text stays in Edit &gt; Text History, from where you can restore it.</source>
        <translation>重新识别会用引擎的结果替换页面文字；之前的文字保留在“编辑 &gt; 文字历史”中，可从那里恢复。</translation>
    </message>
    <message>
        <source>Read Them Again</source>
        <translation>全部重新识别</translation>
    </message>
    <message>
        <source>Read the pages again?</source>
        <translation>重新识别这些页面？</translation>
    </message>
    <message>
        <source>Read Only the {n} Unread</source>
        <translation>只识别未识别的 {n} 页</translation>
    </message>
    <message>
        <source>Read pages that are read already?</source>
        <translation>重新识别已识别的页面？</translation>
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
        <source>1 page in: {documents}</source>
        <translation>共 1 页，位于：{documents}</translation>
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
        <extracomment>page id, text, its blocks (a tuple of ``model.blocks.Span``), origin (&quot;edit&quot;, &quot;region&quot;...)</extracomment>
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
    <name>EmptyHint</name>
    <message>
        <source>Drop scans, PDFs or a project here</source>
        <translation>将扫描件、PDF 或项目拖放到这里</translation>
    </message>
    <message>
        <source>PDF, PNG, JPEG, TIFF, BMP, WebP and GIF files, or folders of them, become documents.</source>
        <translation>PDF、PNG、JPEG、TIFF、BMP、WebP 和 GIF 文件（或包含它们的文件夹）会成为文档。</translation>
    </message>
    <message>
        <source>Recent projects:</source>
        <translation>最近的项目：</translation>
    </message>
</context>
<context>
    <name>Engine</name>
    <message>
        <source>The engine returned no answer.</source>
        <translation>引擎没有返回结果。</translation>
    </message>
    <message>
        <source>Locating was cancelled.</source>
        <translation>定位已取消。</translation>
    </message>
    <message>
        <source>Loading DeepSeek-OCR was cancelled.</source>
        <extracomment>Rough GPU memory per page in a batch (GiB): vision activations + KV cache for a long page. Typical length of a document page&apos;s output, for the estimate before anything was measured. &quot;exact&quot;: every page decodes as alone (infer()&apos;s ids); &quot;fastest&quot;: batch-invariant graphs.</extracomment>
        <translation>DeepSeek-OCR 加载已取消。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR is not loaded yet. Load the model first.</source>
        <translation>DeepSeek-OCR 尚未加载。请先加载模型。</translation>
    </message>
    <message>
        <source>Reading was cancelled.</source>
        <translation>识别已取消。</translation>
    </message>
    <message>
        <source>Not enough GPU memory to read this page in {mode} mode. Try the {smaller} mode, or close other programs that use the GPU.</source>
        <translation>显存不足，无法以 {mode} 模式识别此页。请尝试 {smaller} 模式，或关闭其他占用 GPU 的程序。</translation>
    </message>
    <message>
        <source>Not enough GPU memory to read this page in {mode} mode. Close other programs that use the GPU.</source>
        <translation>显存不足，无法以 {mode} 模式识别此页。请关闭其他占用 GPU 的程序。</translation>
    </message>
    <message>
        <source>The page image is empty (0 pixels wide or high).</source>
        <translation>页面图像为空（宽度或高度为 0 像素）。</translation>
    </message>
    <message>
        <source>{model} has no {mode} mode (use {known}).</source>
        <translation>{model} 没有 {mode} 模式（可用：{known}）。</translation>
    </message>
    <message>
        <source>Type the text to locate before reading with the Locate prompt.</source>
        <translation>使用“定位”提示词识别之前，请先输入要定位的文本。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR could not read this page ({error}).</source>
        <translation>DeepSeek-OCR 无法识别此页（{error}）。</translation>
    </message>
    <message>
        <source>Install the DeepSeek-OCR extra: pip install &quot;desktop-ocr[deepseek]&quot;.</source>
        <extracomment>Inclusive window of transformers releases the remote code runs with.</extracomment>
        <translation>请安装 DeepSeek-OCR 附加组件：pip install &quot;desktop-ocr[deepseek]&quot;。</translation>
    </message>
    <message>
        <source>The transformers package is not installed. {hint}</source>
        <translation>未安装 transformers 软件包。{hint}</translation>
    </message>
    <message>
        <source>DeepSeek-OCR&apos;s code runs only with transformers 4.46.0 to 4.47.1, but {version} is installed. Install the tested versions: pip install &quot;transformers==4.46.3&quot; &quot;tokenizers==0.20.3&quot;.</source>
        <translation>DeepSeek-OCR 的代码只能在 transformers 4.46.0 至 4.47.1 下运行，但已安装的是 {version}。请安装经过测试的版本：pip install &quot;transformers==4.46.3&quot; &quot;tokenizers==0.20.3&quot;。</translation>
    </message>
    <message>
        <source>The model folder {path} does not exist. Choose the folder that holds DeepSeek-OCR (config.json, the model&apos;s .py files, tokenizer and .safetensors weights), or download the model.</source>
        <translation>模型文件夹 {path} 不存在。请选择存放 DeepSeek-OCR 的文件夹（包含 config.json、模型的 .py 文件、分词器和 .safetensors 权重），或下载该模型。</translation>
    </message>
    <message>
        <source>{path} is not a model folder: it has no config.json. Choose the folder you downloaded DeepSeek-OCR into, or download it again.</source>
        <translation>{path} 不是模型文件夹：其中没有 config.json。请选择您下载 DeepSeek-OCR 时存放的文件夹，或重新下载。</translation>
    </message>
    <message>
        <source>{file} cannot be read ({error}). Download the model again.</source>
        <translation>无法读取 {file}（{error}）。请重新下载模型。</translation>
    </message>
    <message>
        <source>The model in {path} is not DeepSeek-OCR (it is {kind}). Choose a DeepSeek-OCR or DeepSeek-OCR-2 folder.</source>
        <translation>{path} 中的模型不是 DeepSeek-OCR（而是 {kind}）。请选择 DeepSeek-OCR 或 DeepSeek-OCR-2 的文件夹。</translation>
    </message>
    <message>
        <source>{path} names code outside the model folder ({entries}); only code inside the folder may run. Use the original files from the hub, or put the .py files in the folder and fix auto_map.</source>
        <translation>{path} 引用了模型文件夹之外的代码（{entries}）；只允许运行文件夹内的代码。请使用模型仓库中的原始文件，或把 .py 文件放进文件夹并修正 auto_map。</translation>
    </message>
    <message>
        <source>The DeepSeek-OCR folder {path} is incomplete: {missing} missing. Download the model again (or let the app resume the download).</source>
        <translation>DeepSeek-OCR 文件夹 {path} 不完整：缺少 {missing}。请重新下载模型（或让应用继续下载）。</translation>
    </message>
    <message>
        <source>No CUDA GPU is available to PyTorch. Choose the CPU in the DeepSeek-OCR settings, or install the GPU add-on and an NVIDIA driver.</source>
        <translation>PyTorch 找不到可用的 CUDA GPU。请在 DeepSeek-OCR 设置中选择 CPU，或安装 GPU 扩展和 NVIDIA 驱动程序。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR gives wrong output on Apple&apos;s MPS backend (its image resizing and feature placement misbehave there) and is no faster than the CPU. Choose the CPU in the settings.</source>
        <translation>DeepSeek-OCR 在 Apple 的 MPS 后端上输出错误（图像缩放和特征放置在该后端上工作异常），而且并不比 CPU 快。请在设置中选择 CPU。</translation>
    </message>
    <message>
        <source>{model} must be loaded at a pinned revision (a commit hash). Set the revision in the DeepSeek-OCR settings, or choose a downloaded folder.</source>
        <translation>{model} 必须以固定版本（提交哈希）加载。请在 DeepSeek-OCR 设置中设定版本，或选择已下载的文件夹。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR runs its own Python code from the model folder. Confirm once in the DeepSeek-OCR settings that this code may run on this computer, then load the model again.</source>
        <translation>DeepSeek-OCR 会运行模型文件夹中自带的 Python 代码。请在 DeepSeek-OCR 设置中确认一次允许此代码在这台电脑上运行，然后重新加载模型。</translation>
    </message>
    <message>
        <source>A package DeepSeek-OCR needs is missing ({package}). {hint}</source>
        <translation>缺少 DeepSeek-OCR 所需的软件包（{package}）。{hint}</translation>
    </message>
    <message>
        <source>Loading the DeepSeek-OCR tokenizer</source>
        <translation>正在加载 DeepSeek-OCR 分词器</translation>
    </message>
    <message>
        <source>The tokenizer in {model} cannot be loaded ({error}). Download the model again.</source>
        <translation>无法加载 {model} 中的分词器（{error}）。请重新下载模型。</translation>
    </message>
    <message>
        <source>Loading DeepSeek-OCR {version} onto {device} ({dtype})</source>
        <translation>正在将 DeepSeek-OCR {version} 加载到 {device}（{dtype}）</translation>
    </message>
    <message>
        <source>DeepSeek-OCR is ready</source>
        <translation>DeepSeek-OCR 已就绪</translation>
    </message>
    <message>
        <source>Not enough GPU memory to load DeepSeek-OCR (it needs about 7 GB plus working memory). Close other programs that use the GPU, or use the built-in engine.</source>
        <translation>显存不足，无法加载 DeepSeek-OCR（约需 7 GB，另需工作内存）。请关闭其他占用 GPU 的程序，或使用内置引擎。</translation>
    </message>
    <message>
        <source>The model&apos;s code needs a package that is missing ({error}). {hint}</source>
        <translation>模型的代码需要一个缺失的软件包（{error}）。{hint}</translation>
    </message>
    <message>
        <source>DeepSeek-OCR in {model} cannot be loaded ({error}). The folder may be incomplete or from an incompatible release: download the model again.</source>
        <translation>无法加载 {model} 中的 DeepSeek-OCR（{error}）。该文件夹可能不完整或来自不兼容的版本：请重新下载模型。</translation>
    </message>
    <message>
        <source>The tokenizer in {model} does not match DeepSeek-OCR (the &lt;image&gt; token must have id {token_id}). Download the model again.</source>
        <translation>{model} 中的分词器与 DeepSeek-OCR 不匹配（&lt;image&gt; 词元的 ID 必须是 {token_id}）。请重新下载模型。</translation>
    </message>
    <message>
        <source>Embedded (RapidOCR, CPU)</source>
        <extracomment>Other spellings accepted for engine names (settings written by older versions, the GPU advice).</extracomment>
        <translation>内置（RapidOCR，CPU）</translation>
    </message>
    <message>
        <source>Loading the embedded OCR engine</source>
        <extracomment>The model files inside the rapidocr 3.10.0 wheel (its defaults: PP-OCRv6 small, multilingual Latin + CJK). Pages larger than this (longest side, pixels) are scaled down for line detection only. The largest detection resolution (longest side) a wide page is given (see :func:`detect_side`). Larger pages are reduced by a whole factor before reading (memory; no loss for text): a 300-dpi spread of two A4 or Letter pages (up to 5100 px) is read at full resolution, a 600-dpi A3 scan at half of it (300 dpi). A pixel darker than this (0-255 grey) is ink, not paper, when a picture is told from white. Rows read per recognition call: the streaming and cancel granularity. Line crops per recognition batch. RapidOCR pads every crop of a batch to the widest one&apos;s width, and this model&apos;s cost grows with the width it is given, so batching buys nothing and padding costs: one crop at a time is 45% less CPU than its default of 6 (300-dpi page, measured). ONNX Runtime&apos;s worker threads spin while waiting for work; on a small model that burns a core for nothing (detection: the same wall time at 30% more CPU), so they sleep instead. A line whose bounding rectangle scores under the detector&apos;s threshold is kept when the detector&apos;s mean over its own outline is at least this (see :func:`_outline_second_chance`). Runs the layout model beside the line detection (one thread: the detector has the rest).</extracomment>
        <translation>正在加载内置 OCR 引擎</translation>
    </message>
    <message>
        <source>The embedded OCR engine is not installed (the &apos;rapidocr&apos; package is missing). Reinstall desktop-ocr to get it back.</source>
        <translation>未安装内置 OCR 引擎（缺少 &apos;rapidocr&apos; 软件包）。请重新安装 desktop-ocr 以恢复它。</translation>
    </message>
    <message>
        <source>The embedded OCR engine&apos;s model files are missing ({files} in {folder}). Reinstall the &apos;rapidocr&apos; package (version 3.10.0).</source>
        <translation>内置 OCR 引擎的模型文件缺失（{folder} 中的 {files}）。请重新安装 &apos;rapidocr&apos; 软件包（3.10.0 版）。</translation>
    </message>
    <message>
        <source>Loading was cancelled.</source>
        <translation>加载已取消。</translation>
    </message>
    <message>
        <source>The embedded OCR engine could not start: {error}</source>
        <translation>内置 OCR 引擎无法启动：{error}</translation>
    </message>
    <message>
        <source>Embedded OCR engine ready</source>
        <translation>内置 OCR 引擎已就绪</translation>
    </message>
    <message>
        <source>Not enough memory to read this page.</source>
        <translation>内存不足，无法识别此页。</translation>
    </message>
    <message>
        <source>The embedded OCR engine failed: {error}</source>
        <translation>内置 OCR 引擎出错：{error}</translation>
    </message>
    <message>
        <source>The region is empty: draw a rectangle around the text to read.</source>
        <translation>区域为空：请在要识别的文本周围绘制一个矩形。</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Out of memory while reading this region.</source>
        <translation>识别此区域时内存不足。</translation>
    </message>
    <message>
        <source>The engine failed on this region: {error}</source>
        <translation>引擎在识别此区域时出错：{error}</translation>
    </message>
    <message>
        <source>The engine returned no result for this region.</source>
        <translation>引擎没有返回此区域的结果。</translation>
    </message>
    <message>
        <source>Out of memory while looking for the text.</source>
        <translation>查找文本时内存不足。</translation>
    </message>
    <message>
        <source>The engine failed to look for the text: {error}</source>
        <translation>引擎查找文本时出错：{error}</translation>
    </message>
    <message>
        <source>DeepSeek-OCR (GPU)</source>
        <translation>DeepSeek-OCR（GPU）</translation>
    </message>
    <message>
        <source>DeepSeek-OCR server (vLLM, SGLang, Ollama)</source>
        <translation>DeepSeek-OCR 服务器（vLLM、SGLang、Ollama）</translation>
    </message>
    <message>
        <source>No DeepSeek-OCR model is set up: download one or choose its folder in the settings.</source>
        <extracomment>Import names the DeepSeek-OCR engine needs (the ``deepseek`` extra of pyproject.toml).</extracomment>
        <translation>尚未设置 DeepSeek-OCR 模型：请下载一个，或在设置中选择其文件夹。</translation>
    </message>
    <message>
        <source>Missing packages: {packages}. Reinstall desktop-ocr.</source>
        <extracomment>Its packages are installed (it may still lack a model or a GPU: see :func:`deepseek_status`). Why it cannot be used, for the user; &quot;&quot; when it can.</extracomment>
        <translation>缺少软件包：{packages}。请重新安装 desktop-ocr。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR is not installed (missing {packages}). Install it with {hint}.</source>
        <translation>未安装 DeepSeek-OCR（缺少 {packages}）。请使用 {hint} 安装。</translation>
    </message>
    <message>
        <source>The DeepSeek-OCR model could not be checked: {error}</source>
        <translation>无法检查 DeepSeek-OCR 模型：{error}</translation>
    </message>
    <message>
        <source>No NVIDIA GPU with a working driver was found.</source>
        <translation>未找到带有可用驱动程序的 NVIDIA GPU。</translation>
    </message>
    <message>
        <source>The model&apos;s own code has not been approved to run on this computer yet.</source>
        <translation>模型自带的代码尚未获准在这台电脑上运行。</translation>
    </message>
    <message>
        <source>The embedded OCR engine is missing packages ({packages}). Reinstall desktop-ocr.</source>
        <translation>内置 OCR 引擎缺少软件包（{packages}）。请重新安装 desktop-ocr。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR is not installed (missing {packages}). Install it with {hint}, or use the embedded engine.</source>
        <translation>未安装 DeepSeek-OCR（缺少 {packages}）。请使用 {hint} 安装，或使用内置引擎。</translation>
    </message>
    <message>
        <source>There is no OCR engine called &apos;{name}&apos;. Choose one of: {names}.</source>
        <translation>没有名为 &apos;{name}&apos; 的 OCR 引擎。请从以下引擎中选择：{names}。</translation>
    </message>
    <message>
        <source>The DeepSeek-OCR model folder {folder} does not exist. Choose the folder again in the settings.</source>
        <translation>DeepSeek-OCR 模型文件夹 {folder} 不存在。请在设置中重新选择文件夹。</translation>
    </message>
    <message>
        <source>No DeepSeek-OCR server is set: add its URL in the settings.</source>
        <extracomment>Seconds a cancelled read waits for its requests to close before it returns.</extracomment>
        <translation>尚未设置 DeepSeek-OCR 服务器：请在设置中添加其 URL。</translation>
    </message>
    <message>
        <source>Connecting to the server was cancelled.</source>
        <translation>已取消连接服务器。</translation>
    </message>
    <message>
        <source>Connect to the server first.</source>
        <translation>请先连接服务器。</translation>
    </message>
    <message>
        <source>There is no {mode} mode (use {known}).</source>
        <translation>没有 {mode} 模式（请使用 {known}）。</translation>
    </message>
</context>
<context>
    <name>Engines</name>
    <message>
        <source>automatic choice</source>
        <translation>自动选择</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>the figure box {box} is too small to cut out ({width}x{height} px)</source>
        <extracomment>Smallest crop side in pixels; anything thinner is a detection glitch, not a figure.</extracomment>
        <translation>插图框 {box} 太小，无法裁剪（{width}x{height} 像素）</translation>
    </message>
    <message>
        <source>{path} is a file, not a folder.</source>
        <extracomment>The formats written unless the caller chooses (what the export always wrote). Formats made by pandoc from the Markdown (they embed the figure crops). ``page_image(page)``: the page&apos;s full-resolution image, upright as the engine read it. ``progress(fraction 0..1, message)``. Messages for the user, e.g. a figure that could not be cut out (its link was left out). Document id -&gt; the file stem used (differs from the name after renaming or sanitising). (document name, format, reason) for each file that could not be written. Document name -&gt; the 1-based numbers of its pages that were never read or failed (exported without text: an empty page is never passed off as read).</extracomment>
        <translation>{path} 是文件，不是文件夹。</translation>
    </message>
    <message>
        <source>The export was cancelled.</source>
        <translation>导出已取消。</translation>
    </message>
    <message>
        <source>Unknown export format &apos;{format}&apos; (choose from {formats}).</source>
        <translation>未知的导出格式 &apos;{format}&apos;（可选：{formats}）。</translation>
    </message>
    <message>
        <source>Choose at least one export format.</source>
        <translation>请至少选择一种导出格式。</translation>
    </message>
    <message>
        <source>page {n}</source>
        <translation>第 {n} 页</translation>
    </message>
    <message>
        <source>{document}, page {page}: figure {n}</source>
        <translation>{document}，第 {page} 页：插图 {n}</translation>
    </message>
    <message>
        <source>{figure} does not exist on the page; its link was left out.</source>
        <translation>{figure} 在页面上不存在；已省略其链接。</translation>
    </message>
    <message>
        <source>{document}: the {format} file could not be written ({error}).</source>
        <translation>{document}：无法写入 {format} 文件（{error}）。</translation>
    </message>
    <message>
        <source>the original pages are not available</source>
        <translation>原始页面不可用</translation>
    </message>
    <message>
        <source>PDF page {n}</source>
        <translation>PDF 第 {n} 页</translation>
    </message>
    <message>
        <source>no page image is available</source>
        <translation>没有可用的页面图像</translation>
    </message>
    <message>
        <source>{figure} could not be cut out ({error}); its link was left out.</source>
        <translation>无法裁剪 {figure}（{error}）；已省略其链接。</translation>
    </message>
    <message>
        <source>the page image could not be made: {error}</source>
        <translation>无法生成页面图像：{error}</translation>
    </message>
    <message>
        <source>These files exist already: {names} and {more} more. Choose to replace them or rename the export.</source>
        <extracomment>Room left for suffixes such as &quot; (12)_images&quot; and &quot;.json&quot; within a 255-byte name.</extracomment>
        <translation>这些文件已存在：{names} 以及另外 {more} 个。请选择替换它们或为导出重命名。</translation>
    </message>
    <message>
        <source>These files exist already: {names}. Choose to replace them or rename the export.</source>
        <translation>这些文件已存在：{names}。请选择替换它们或为导出重命名。</translation>
    </message>
    <message>
        <source>pandoc is not installed (install the Python package pypandoc-binary)</source>
        <extracomment>The page Markdown as pandoc reads it; ``-smart``: the text stays as typed (straight quotes, --, ...). HTML and EPUB have no list numbers in parentheses: &quot;(1)&quot;, &quot;a)&quot; and &quot;1)&quot; came out as &quot;1.&quot;, &quot;a.&quot;, &quot;1.&quot;; with ``-fancy_lists`` such paragraphs keep their marks as typed (lists of &quot;1.&quot; stay lists). Word and ODT lists keep the marks&apos; style, so they keep the lists. Where Word and ODT keep the title as a document property. pandoc&apos;s DOCX and ODT writers also print a ``title`` as a Title paragraph above the first page: a line (&quot;scan-0042&quot;) that is on no page. So these get the title in the property only, written after pandoc.</extracomment>
        <translation>未安装 pandoc（请安装 Python 包 pypandoc-binary）</translation>
    </message>
    <message>
        <source>pandoc cannot be run ({error})</source>
        <translation>无法运行 pandoc（{error}）</translation>
    </message>
    <message>
        <source>the page&apos;s source file is missing from the project</source>
        <extracomment>Images without a resolution of their own are taken to be scanned at this many dpi. EXIF orientation -&gt; the clockwise turn that makes the stored pixels upright (mirrored ones have none).</extracomment>
        <translation>项目中缺少该页的源文件</translation>
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
        <source>Searchable PDF (.pdf): the scan with the text as an invisible layer</source>
        <translation>可搜索 PDF（.pdf）：扫描图像加不可见文字层</translation>
    </message>
    <message>
        <source>Word (.docx)</source>
        <translation>Word（.docx）</translation>
    </message>
    <message>
        <source>OpenDocument text (.odt)</source>
        <translation>OpenDocument 文本（.odt）</translation>
    </message>
    <message>
        <source>Web page (.html, one file)</source>
        <translation>网页（.html，单个文件）</translation>
    </message>
    <message>
        <source>E-book (.epub)</source>
        <translation>电子书（.epub）</translation>
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
        <source>The document of the selected page</source>
        <translation>所选页面所在的文档</translation>
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
        <source>As PDF/A-2b, for archiving</source>
        <translation>存为 PDF/A-2b，用于归档</translation>
    </message>
    <message>
        <source>Some formats cannot be written here: {reasons}</source>
        <translation>此处无法写出某些格式：{reasons}</translation>
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
        <source>Each document becomes &lt;i&gt;name&lt;/i&gt;.md (with &lt;i&gt;name&lt;/i&gt;_images/), .txt, .json, .pdf, .docx... as ticked. Existing files are never overwritten without asking.</source>
        <translation>每个文档按所选格式导出为 &lt;i&gt;名称&lt;/i&gt;.md（附 &lt;i&gt;名称&lt;/i&gt;_images/）、.txt、.json、.pdf、.docx 等。已有文件不会未经询问被覆盖。</translation>
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
    <name>FileFlows</name>
    <message>
        <source>Scans, PDFs and projects ({patterns})</source>
        <extracomment>Image files (each a document, or several one document when the user says so).</extracomment>
        <translation>扫描件、PDF 和项目 ({patterns})</translation>
    </message>
    <message>
        <source>Projects ({patterns})</source>
        <translation>项目 ({patterns})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>所有文件 (*)</translation>
    </message>
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
        <source>{name} was not imported: the password was wrong</source>
        <translation>未导入 {name}：密码错误</translation>
    </message>
    <message>
        <source>{name} was not imported: no password was given</source>
        <translation>未导入 {name}：未提供密码</translation>
    </message>
    <message>
        <source>{title}:</source>
        <translation>{title}：</translation>
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
        <source>No recent projects</source>
        <translation>没有最近的项目</translation>
    </message>
    <message>
        <source>Clear List</source>
        <translation>清除列表</translation>
    </message>
    <message>
        <source>never read</source>
        <translation>从未识别</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>识别失败</translation>
    </message>
    <message>
        <source>no text found</source>
        <translation>未找到文字</translation>
    </message>
    <message>
        <source>{document}: page {pages}</source>
        <translation>{document}：第 {pages} 页</translation>
    </message>
    <message>
        <source>{document}: pages {pages}</source>
        <translation>{document}：第 {pages} 页</translation>
    </message>
    <message>
        <source>Export pages without text?</source>
        <translation>导出没有文字的页面？</translation>
    </message>
    <message>
        <source>{n} of the {total} pages to export have no text; their sections will be empty:</source>
        <translation>要导出的 {total} 页中有 {n} 页没有文字；这些部分将为空：</translation>
    </message>
    <message>
        <source>Export anyway?</source>
        <translation>仍然导出？</translation>
    </message>
    <message>
        <source>Export Anyway</source>
        <translation>仍然导出</translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written</source>
        <translation>导出已取消：未写入任何内容</translation>
    </message>
    <message>
        <source>Log folder</source>
        <translation>日志文件夹</translation>
    </message>
    <message>
        <source>No file manager could be started. The log files are in this folder:</source>
        <translation>无法启动文件管理器。日志文件位于此文件夹：</translation>
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
        <extracomment>Emitted after the choices were saved into the settings object (and written to disk). The user was told the add-on will not help without a fitting GPU and chose it anyway.</extracomment>
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
        <source>Use a DeepSeek-OCR server (vLLM, SGLang, Ollama):</source>
        <translation>使用 DeepSeek-OCR 服务器（vLLM、SGLang、Ollama）：</translation>
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
        <source>&lt;b&gt;Recommended: the embedded engine.&lt;/b&gt; Your {gpu} (compute capability {cap}) is older than the GPU add-on supports: its PyTorch build runs on NVIDIA cards of compute capability {minimum} (Turing, 2018) or newer.</source>
        <translation>&lt;b&gt;推荐：内置引擎。&lt;/b&gt;您的 {gpu}（计算能力 {cap}）比 GPU 扩展支持的显卡更旧：其 PyTorch 版本需要计算能力 {minimum}（Turing，2018 年）或更新的 NVIDIA 显卡。</translation>
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
        <source>No NVIDIA graphics card was found. The GPU add-on ({size:.1f} GB) needs one with a working driver; without it DeepSeek-OCR runs on the CPU, which takes minutes per page.</source>
        <translation>未找到 NVIDIA 显卡。GPU 扩展（{size:.1f} GB）需要一块驱动程序可用的 NVIDIA 显卡；没有它，DeepSeek-OCR 将在 CPU 上运行，每页需要几分钟。</translation>
    </message>
    <message>
        <source>Your graphics card is older than the GPU add-on supports (compute capability {minimum} or newer): with the add-on ({size:.1f} GB) DeepSeek-OCR would run on the CPU, which takes minutes per page.</source>
        <translation>您的显卡比 GPU 扩展支持的更旧（需要计算能力 {minimum} 或更新）：安装扩展（{size:.1f} GB）后 DeepSeek-OCR 只能在 CPU 上运行，每页需要数分钟。</translation>
    </message>
    <message>
        <source>Your NVIDIA driver is too old for the GPU add-on ({size:.1f} GB): until you update it to version {version} or newer, DeepSeek-OCR runs on the CPU, which takes minutes per page.</source>
        <translation>您的 NVIDIA 驱动程序版本过旧，无法使用 GPU 扩展（{size:.1f} GB）：在将其更新到 {version} 或更高版本之前，DeepSeek-OCR 将在 CPU 上运行，每页需要几分钟。</translation>
    </message>
    <message>
        <source>Your graphics card has too little memory for DeepSeek-OCR; with the GPU add-on ({size:.1f} GB) it would mostly run on the CPU, which takes minutes per page.</source>
        <translation>您的显卡显存太小，不足以运行 DeepSeek-OCR；即使安装 GPU 扩展（{size:.1f} GB），它也大多会在 CPU 上运行，每页需要几分钟。</translation>
    </message>
    <message>
        <source>Click Install Anyway to install it all the same (for example if the driver is fixed later).</source>
        <translation>点击“仍然安装”即可照样安装（例如稍后会修复驱动程序时）。</translation>
    </message>
    <message>
        <source>Install Anyway</source>
        <translation>仍然安装</translation>
    </message>
    <message>
        <source>Installing the GPU add-on (PyTorch with CUDA)… this downloads about {size:.1f} GB.</source>
        <translation>正在安装 GPU 扩展（带 CUDA 的 PyTorch）…需要下载约 {size:.1f} GB。</translation>
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
        <source>Region read again</source>
        <translation>区域已重新识别</translation>
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
    <name>Import</name>
    <message>
        <source>the file changed while it was being imported</source>
        <extracomment>The most one statement may run (seconds of SQLite work) before it is interrupted: a file from elsewhere must not be able to hang the app. Far above what any of the app&apos;s own queries need. How many SQLite virtual-machine steps pass between two looks at the clock.
----------
Key of ``passwords`` that applies to every encrypted PDF without a password of its own. For every input path given, the ids of the documents made from it (for the command line). For every input path given, the ids of the pages made from it, in order.</extracomment>
        <translation>文件在导入过程中发生了变化</translation>
    </message>
    <message>
        <source>the folder contains no PDF or image files</source>
        <translation>该文件夹中没有 PDF 或图像文件</translation>
    </message>
    <message>
        <source>the file does not exist</source>
        <translation>文件不存在</translation>
    </message>
    <message>
        <source>the folder cannot be read ({error})</source>
        <translation>无法读取该文件夹（{error}）</translation>
    </message>
    <message>
        <source>cannot be read ({error})</source>
        <translation>无法读取（{error}）</translation>
    </message>
    <message>
        <source>cannot be imported ({error})</source>
        <translation>无法导入（{error}）</translation>
    </message>
    <message>
        <source>could not be stored ({error})</source>
        <translation>无法存储（{error}）</translation>
    </message>
    <message>
        <source>the password is wrong</source>
        <extracomment>A page bigger than this (pixels at the project DPI, or an image frame) is refused. A file bigger than this is refused. More pages or frames than this in one file are refused. A PDF page holding a scan is read at the scan&apos;s own resolution up to this (never below the project&apos;s DPI): a 300-dpi scan rendered at 144 dpi loses its small print. ... and at no more pixels than this (a poster-sized scan is read at the project&apos;s DPI or a bit more). An image counts as the page&apos;s scan when it covers at least this share of the page. Source data: the file&apos;s bytes, or a path to a file holding them. Of the memory free when a page is decoded, this share may go to it (the decoded frame, its RGB copy and one working copy); a bigger page is refused before it is decoded. Bytes per pixel of Pillow&apos;s decoded modes (what ``Image.load`` allocates), 4 for those not listed.</extracomment>
        <translation>密码错误</translation>
    </message>
    <message>
        <source>the PDF is encrypted and needs a password</source>
        <translation>该 PDF 已加密，需要密码</translation>
    </message>
    <message>
        <source>is a folder</source>
        <extracomment>File name endings we expect to be importable (used only to decide what to report in folders). For an encrypted PDF opened with its password: the decrypted file to store instead.</extracomment>
        <translation>是一个文件夹</translation>
    </message>
    <message>
        <source>the file is empty</source>
        <translation>文件为空</translation>
    </message>
    <message>
        <source>the file is too large ({size:.1f} GB; the limit is 2 GB)</source>
        <translation>文件太大（{size:.1f} GB；上限为 2 GB）</translation>
    </message>
    <message>
        <source>not a PDF or a supported image (PNG, JPEG, TIFF, BMP, WebP, GIF)</source>
        <translation>不是 PDF 或受支持的图像（PNG、JPEG、TIFF、BMP、WebP、GIF）</translation>
    </message>
    <message>
        <source>the PDF is damaged and cannot be opened ({error})</source>
        <translation>该 PDF 已损坏，无法打开（{error}）</translation>
    </message>
    <message>
        <source>the PDF has no pages</source>
        <translation>该 PDF 没有页面</translation>
    </message>
    <message>
        <source>the PDF has {n} pages; the limit is {limit}</source>
        <translation>该 PDF 有 {n} 页；上限为 {limit} 页</translation>
    </message>
    <message>
        <source>page {page} is damaged ({error})</source>
        <extracomment>A text layer counts as the page&apos;s own text with at least this many visible characters, and when at most this share of its characters is invisible (render mode 3: an OCR layer over a scan). What MuPDF says (it still draws the page, blank where these were) when a damaged or truncated PDF lost a page&apos;s content or a picture on it: the page is refused rather than read as empty.</extracomment>
        <translation>第 {page} 页已损坏（{error}）</translation>
    </message>
    <message>
        <source>page {page} has no area</source>
        <translation>第 {page} 页面积为零</translation>
    </message>
    <message>
        <source>page {page} is too large ({width} x {height} pixels at {dpi} dpi); lower the DPI</source>
        <translation>第 {page} 页太大（在 {dpi} dpi 下为 {width} x {height} 像素）；请降低 DPI</translation>
    </message>
    <message>
        <source>the image is too large (more than {megapixels} megapixels; the limit is 300 megapixels)</source>
        <translation>图像太大（超过 {megapixels} 百万像素；上限为 3 亿像素）</translation>
    </message>
    <message>
        <source>the {format} file is damaged or not supported ({error})</source>
        <translation>该 {format} 文件已损坏或不受支持（{error}）</translation>
    </message>
    <message>
        <source>the image has {n} frames; the limit is {limit}</source>
        <translation>该图像有 {n} 帧；上限为 {limit} 帧</translation>
    </message>
    <message>
        <source>frame {frame} has no area</source>
        <translation>第 {frame} 帧面积为零</translation>
    </message>
    <message>
        <source>the image is too large ({width} x {height} pixels; the limit is 300 megapixels)</source>
        <translation>图像太大（{width} x {height} 像素；上限为 3 亿像素）</translation>
    </message>
    <message>
        <source>the {format} frame {frame} is damaged, truncated or not supported ({error})</source>
        <translation>该 {format} 的第 {frame} 帧已损坏、不完整或不受支持（{error}）</translation>
    </message>
    <message>
        <source>the {format} is damaged, truncated or not supported ({error})</source>
        <translation>该 {format} 已损坏、不完整或不受支持（{error}）</translation>
    </message>
    <message>
        <source>the image is too large for the memory available ({width} x {height} pixels need about {need} MB to decode; {free} MB of memory are free). Scale it down and import it again.</source>
        <translation>图像太大，可用内存不足（{width} x {height} 像素解码约需 {need} MB；可用内存为 {free} MB）。请缩小后重新导入。</translation>
    </message>
</context>
<context>
    <name>ImportWorker</name>
    <message>
        <source>The import failed: {error}</source>
        <translation>导入失败：{error}</translation>
    </message>
    <message>
        <source>Pasted image</source>
        <translation>粘贴的图像</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>This page cannot be shown.</source>
        <translation>无法显示此页。</translation>
    </message>
    <message>
        <source>estimating the time left…</source>
        <translation>正在估算剩余时间…</translation>
    </message>
    <message>
        <source>finishing…</source>
        <translation>即将完成…</translation>
    </message>
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
        <extracomment>How often text streamed into the page shown reaches the editor, milliseconds.</extracomment>
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
        <extracomment>What is wrong with the page shown (e.g. boxes of the model&apos;s output that could not be read).</extracomment>
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
        <source>This page is waiting to be read. Its text can be edited when reading ends.</source>
        <translation>此页正在等待识别。识别结束后即可编辑其文本。</translation>
    </message>
    <message>
        <source>Select pages to read first</source>
        <translation>请先选择要识别的页面</translation>
    </message>
    <message>
        <source>Stop reading and take all {n} waiting pages out of the queue?</source>
        <translation>停止识别，并将全部 {n} 个等待中的页面移出队列？</translation>
    </message>
    <message>
        <source>Pages already read keep their text. Esc stops only the page being read now.</source>
        <translation>已识别的页面保留其文字。Esc 只停止当前正在识别的页面。</translation>
    </message>
    <message>
        <source>Stop Reading</source>
        <translation>停止识别</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Paused: reading stops after the current page</source>
        <translation>已暂停：识别完当前页后停止</translation>
    </message>
    <message>
        <source>{n} failed</source>
        <translation>{n} 页失败</translation>
    </message>
    <message>
        <source>{n} cancelled</source>
        <translation>{n} 页已取消</translation>
    </message>
    <message>
        <source>Reading done: {counts}</source>
        <translation>识别完成：{counts}</translation>
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
        <source>Edit &gt; Undo (Ctrl+Z) brings them back.</source>
        <translation>“编辑 &gt; 撤销”（Ctrl+Z）可以恢复它们。</translation>
    </message>
    <message>
        <source>&amp;Undo Delete Pages</source>
        <translation>撤销删除页面(&amp;U)</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>撤销(&amp;U)</translation>
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
        <source>{n} page read</source>
        <translation>已识别 {n} 页</translation>
    </message>
    <message>
        <source>{n} pages read</source>
        <translation>已识别 {n} 页</translation>
    </message>
    <message>
        <source>{n} page deleted. Undo (Ctrl+Z) brings it back.</source>
        <translation>已删除 {n} 页。撤销（Ctrl+Z）可以恢复它。</translation>
    </message>
    <message>
        <source>{n} pages deleted. Undo (Ctrl+Z) brings them back.</source>
        <translation>已删除 {n} 页。撤销（Ctrl+Z）可以恢复它们。</translation>
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
        <extracomment>Longest time an edit waits while the user keeps typing (a crash loses at most this much). How many pages keep their document (and so their undo history) when another page is shown. Block edits of one burst (``apply_block_edit``) closer than this make one undo step. Where the cursor was in a page&apos;s document when another page was shown (a document property). A line with a run of this many characters without a space is wrapped anywhere, not at word boundaries: Qt looks for a break opportunity to the end of the run for every screen line, so 30 KB of ``\[`` took 25-45 ms per layout instead of 2-7 ms (the text is unchanged). True while the editor takes the document, and until the next turn of the event loop: lines not laid out yet answer an empty rectangle (``MarkdownEditor.use_document``). the shown document&apos;s ``contentsChange`` (position, removed, added), whichever page it is</extracomment>
        <translation>区块 {n}：{label}</translation>
    </message>
</context>
<context>
    <name>Message</name>
    <message>
        <source>{name}: {reason}</source>
        <extracomment>The context of messages that only join others (``&quot;{name}: {reason}&quot;``).</extracomment>
        <translation>{name}：{reason}</translation>
    </message>
</context>
<context>
    <name>Model</name>
    <message>
        <source>Checking the partial download of {file}…</source>
        <extracomment>Room left free on the disk beyond the download itself. Bytes per second over the last few seconds of this session (0 until measured). Seconds left at that speed, or None while unknown. &quot;checking&quot; (hashing a partial file), &quot;downloading&quot;, &quot;done&quot;.</extracomment>
        <translation>正在检查 {file} 已下载的部分…</translation>
    </message>
    <message>
        <source>Downloaded {size}.</source>
        <translation>已下载 {size}。</translation>
    </message>
    <message>
        <source>{done} of {total} · {speed} · {eta}</source>
        <translation>{done} / {total} · {speed} · {eta}</translation>
    </message>
    <message>
        <source>The server resumed {file} at the wrong place ({range}).</source>
        <translation>服务器从错误的位置续传了 {file}（{range}）。</translation>
    </message>
    <message>
        <source>{file}: the server sent more than the {size} bytes the hub lists.</source>
        <translation>{file}：服务器发送的数据超过了 Hub 列出的 {size} 字节。</translation>
    </message>
    <message>
        <source>{file}: received {size} of {total} bytes.</source>
        <translation>{file}：已接收 {size} / {total} 字节。</translation>
    </message>
    <message>
        <source>{file} arrived damaged (checksum mismatch) and was discarded. Try the download again.</source>
        <translation>{file} 下载后已损坏（校验和不匹配），已被丢弃。请重新下载。</translation>
    </message>
    <message>
        <source>Cannot write {path} ({error}). Check that the folder is writable and press Resume to go on.</source>
        <translation>无法写入 {path}（{error}）。请检查该文件夹是否可写，然后按“继续下载”继续。</translation>
    </message>
    <message>
        <source>{error} The part already downloaded is kept: press Resume to go on.</source>
        <translation>{error} 已下载的部分会保留：按“继续下载”即可继续。</translation>
    </message>
    <message>
        <source>unknown model</source>
        <translation>未知模型</translation>
    </message>
    <message>
        <source>{model}: complete ({size} of weights, {n} code files).</source>
        <translation>{model}：完整（权重 {size}，代码文件 {n} 个）。</translation>
    </message>
    <message>
        <source>{file} in {folder} cannot be read ({error}).</source>
        <translation>无法读取 {folder} 中的 {file}（{error}）。</translation>
    </message>
    <message>
        <source>{file} in {folder} is not valid JSON ({error}). The copy is damaged or incomplete: download the model again.</source>
        <translation>{folder} 中的 {file} 不是有效的 JSON（{error}）。该副本已损坏或不完整：请重新下载模型。</translation>
    </message>
    <message>
        <source>{file} is a Git LFS pointer, not the real file: the folder was cloned without Git LFS. Run &apos;git lfs pull&apos; in {folder}, or download the model from inside the app.</source>
        <translation>{file} 是 Git LFS 指针而不是真正的文件：克隆该文件夹时没有使用 Git LFS。请在 {folder} 中运行 &apos;git lfs pull&apos;，或在应用内下载模型。</translation>
    </message>
    <message>
        <source>The model&apos;s code is incomplete: {files} missing in {folder}. Download the model again, or copy these files from the model&apos;s hub page into the folder.</source>
        <translation>模型的代码不完整：{folder} 中缺少 {files}。请重新下载模型，或从模型的 Hub 页面将这些文件复制到该文件夹中。</translation>
    </message>
    <message>
        <source>{file} in {folder} is not a readable safetensors file (damaged or incomplete). Download the model again.</source>
        <translation>{folder} 中的 {file} 不是可读取的 safetensors 文件（已损坏或不完整）。请重新下载模型。</translation>
    </message>
    <message>
        <source>{file} is truncated ({size} on disk, {expected} expected). Resume or repeat the download.</source>
        <translation>{file} 不完整（磁盘上为 {size}，应为 {expected}）。请继续下载或重新下载。</translation>
    </message>
    <message>
        <source>{file} in {folder} lists no weights. Download the model again.</source>
        <translation>{folder} 中的 {file} 没有列出任何权重。请重新下载模型。</translation>
    </message>
    <message>
        <source>{folder} has weight files but no model.safetensors.index.json to say how they fit together. Copy the index file from the model&apos;s hub page, or download the model again.</source>
        <translation>{folder} 中有权重文件，但没有说明它们如何组合的 model.safetensors.index.json。请从模型的 Hub 页面复制该索引文件，或重新下载模型。</translation>
    </message>
    <message>
        <source>{folder} has only pickled .bin weights; this app loads safetensors only (they cannot run code). Download the model from the hub, which ships safetensors.</source>
        <translation>{folder} 中只有 pickle 格式的 .bin 权重；本应用只加载 safetensors（它们无法运行代码）。请从 Hub 下载模型，Hub 提供 safetensors 格式。</translation>
    </message>
    <message>
        <source>No model weights (*.safetensors) in {folder}. Copy the weights into it, or download the model from inside the app.</source>
        <translation>{folder} 中没有模型权重（*.safetensors）。请将权重复制到其中，或在应用内下载模型。</translation>
    </message>
    <message>
        <source>{file} (download unfinished)</source>
        <translation>{file}（下载未完成）</translation>
    </message>
    <message>
        <source>Weights missing in {folder}: {files}. Resume the download in the Model dialog, or copy the missing files.</source>
        <translation>{folder} 中缺少权重：{files}。请在模型对话框中继续下载，或复制缺失的文件。</translation>
    </message>
    <message>
        <source> Did you mean {folder}?</source>
        <translation>您要找的是不是 {folder}？</translation>
    </message>
    <message>
        <source>{folder} names code outside the model folder ({entries}); the app only runs code that is inside the model folder. Use the original files from the hub, or put the .py files in the folder and fix auto_map.</source>
        <translation>{folder} 引用了模型文件夹之外的代码（{entries}）；本应用只运行模型文件夹内的代码。请使用模型仓库中的原始文件，或把 .py 文件放进文件夹并修正 auto_map。</translation>
    </message>
    <message>
        <source>The folder {folder} does not exist. Choose the folder that holds the model.</source>
        <translation>文件夹 {folder} 不存在。请选择存放模型的文件夹。</translation>
    </message>
    <message>
        <source>{folder} is a file. Choose the folder that holds config.json.</source>
        <translation>{folder} 是一个文件。请选择包含 config.json 的文件夹。</translation>
    </message>
    <message>
        <source>No config.json in {folder}: this is not a model folder.{suggestion} Choose the folder that holds config.json, the .py files and the weights.</source>
        <translation>{folder} 中没有 config.json：这不是模型文件夹。{suggestion}请选择包含 config.json、.py 文件和权重的文件夹。</translation>
    </message>
    <message>
        <source>config.json in {folder} is not a model configuration. Download the model again.</source>
        <translation>{folder} 中的 config.json 不是模型配置。请重新下载模型。</translation>
    </message>
    <message>
        <source>{folder} holds a DeepSeek-OCR checkpoint converted for transformers 5 ({architectures}); this app runs the original release with its own code. Use deepseek-ai/DeepSeek-OCR or deepseek-ai/DeepSeek-OCR-2 instead.</source>
        <translation>{folder} 中是为 transformers 5 转换的 DeepSeek-OCR 检查点（{architectures}）；本应用运行的是带有自身代码的原始发布版本。请改用 deepseek-ai/DeepSeek-OCR 或 deepseek-ai/DeepSeek-OCR-2。</translation>
    </message>
    <message>
        <source>{folder} holds a different model ({architectures}), not DeepSeek-OCR. Choose a DeepSeek-OCR or DeepSeek-OCR-2 folder, or download one.</source>
        <translation>{folder} 中是另一个模型（{architectures}），不是 DeepSeek-OCR。请选择 DeepSeek-OCR 或 DeepSeek-OCR-2 的文件夹，或下载一个。</translation>
    </message>
    <message>
        <source>config.json in {folder} has no auto_map, so the model&apos;s own code cannot be found. Use the original config.json from the hub.</source>
        <translation>{folder} 中的 config.json 没有 auto_map，因此找不到模型自带的代码。请使用 Hub 上的原始 config.json。</translation>
    </message>
    <message>
        <source>config.json in {folder} points at code in another repository ({entry}); the app only runs code that is inside the model folder. Put the .py files in the folder and fix auto_map.</source>
        <translation>{folder} 中的 config.json 指向另一个仓库中的代码（{entry}）；本应用只运行模型文件夹内的代码。请将 .py 文件放入该文件夹并修正 auto_map。</translation>
    </message>
    <message>
        <source>The tokenizer is missing in {folder} (tokenizer.json). Copy it from the model&apos;s hub page or download the model again.</source>
        <translation>{folder} 中缺少分词器（tokenizer.json）。请从模型的 Hub 页面复制，或重新下载模型。</translation>
    </message>
    <message>
        <source>tokenizer_config.json is missing in {folder}. Copy it from the model&apos;s hub page or download the model again.</source>
        <translation>{folder} 中缺少 tokenizer_config.json。请从模型的 Hub 页面复制，或重新下载模型。</translation>
    </message>
    <message>
        <source>Unfinished download parts (.part files) are still in the folder.</source>
        <translation>文件夹中仍有未完成的下载部分（.part 文件）。</translation>
    </message>
    <message>
        <source>The disk filled up while writing {file} in {folder} ({free} free). The part downloaded so far is kept: free some space and press Resume.</source>
        <translation>写入 {folder} 中的 {file} 时磁盘已满（剩余 {free}）。已下载的部分会保留：请释放一些空间，然后按“继续下载”。</translation>
    </message>
    <message>
        <source>Not enough free disk space in {folder}: the download needs {needed} (with a safety margin) but only {free} is free. Free some space or choose another data folder, then try again.</source>
        <translation>{folder} 的可用磁盘空间不足：下载需要 {needed}（含安全余量），但只剩 {free}。请释放一些空间或选择其他数据文件夹，然后重试。</translation>
    </message>
    <message>
        <source>estimating…</source>
        <translation>正在估算…</translation>
    </message>
    <message>
        <source>{s} s left</source>
        <translation>剩余 {s} 秒</translation>
    </message>
    <message>
        <source>{m} min {s:02d} s left</source>
        <translation>剩余 {m} 分 {s:02d} 秒</translation>
    </message>
    <message>
        <source>{h} h {m:02d} min left</source>
        <translation>剩余 {h} 小时 {m:02d} 分</translation>
    </message>
    <message>
        <source>{variable} is set</source>
        <translation>已设置 {variable}</translation>
    </message>
    <message>
        <source>offline mode is on</source>
        <translation>离线模式已开启</translation>
    </message>
    <message>
        <source>Not connecting to the model hub: {why}. Use a model folder you already have, or turn offline mode off to download.</source>
        <translation>不连接模型 Hub：{why}。请使用您已有的模型文件夹，或关闭离线模式以便下载。</translation>
    </message>
    <message>
        <source>The hub listed a file with an unsafe name: {name}. Nothing was downloaded.</source>
        <extracomment>sha256 of the content for LFS files (the hub&apos;s ``lfs.oid``). git blob sha1 for files stored in git itself (the hub&apos;s ``oid`` of non-LFS files).</extracomment>
        <translation>Hub 列出了一个名称不安全的文件：{name}。未下载任何内容。</translation>
    </message>
    <message>
        <source>The hub has no {what} (HTTP 404). Check the model id and the revision.</source>
        <translation>Hub 上没有{what}（HTTP 404）。请检查模型 ID 和版本。</translation>
    </message>
    <message>
        <source>The hub refused access to {what} (HTTP {code}): the model may be gated or private.</source>
        <translation>Hub 拒绝访问{what}（HTTP {code}）：该模型可能需要申请访问权限或是私有的。</translation>
    </message>
    <message>
        <source>The hub answered HTTP {code} for {what}. Try again later.</source>
        <translation>Hub 对{what}返回了 HTTP {code}。请稍后重试。</translation>
    </message>
    <message>
        <source>Could not reach the model hub ({hub}) for {what}: {reason}. Check your connection, or use a folder you already have.</source>
        <translation>无法连接模型 Hub（{hub}）获取{what}：{reason}。请检查网络连接，或使用您已有的文件夹。</translation>
    </message>
    <message>
        <source>The hub sent an unreadable answer for {what}.</source>
        <translation>Hub 为{what}返回了无法读取的应答。</translation>
    </message>
    <message>
        <source>model {model} at revision {revision}</source>
        <translation>版本为 {revision} 的模型 {model}</translation>
    </message>
    <message>
        <source>The hub did not name a commit for {what}.</source>
        <translation>Hub 没有给出{what}的提交。</translation>
    </message>
    <message>
        <source>the file list of {what}</source>
        <translation>{what}的文件列表</translation>
    </message>
    <message>
        <source>The hub sent an unreadable file list for {what}.</source>
        <translation>Hub 为{what}返回了无法读取的文件列表。</translation>
    </message>
    <message>
        <source>The hub lists no files for {what}.</source>
        <translation>Hub 没有列出{what}的任何文件。</translation>
    </message>
    <message>
        <source>No model folder is chosen. Choose one in Model… (DeepSeek-OCR).</source>
        <translation>尚未选择模型文件夹。请在“DeepSeek-OCR 模型...”中选择一个。</translation>
    </message>
    <message>
        <source>{model} has no pinned revision. Choose a commit in Model… before loading it.</source>
        <translation>{model} 没有固定版本。加载之前，请在“DeepSeek-OCR 模型...”中选择一个提交。</translation>
    </message>
    <message>
        <source>{model} at commit {commit} is not on this computer. Offline mode is on: turn it off to download it{size} or choose a folder you already have.</source>
        <extracomment>&quot;unpinned&quot;, &quot;missing&quot;, &quot;invalid&quot; or &quot;untrusted&quot;. ``hub_id@commit`` or the folder path: the key of the user&apos;s trust.</extracomment>
        <translation>提交为 {commit} 的 {model} 不在这台电脑上。离线模式已开启：请关闭离线模式以下载它{size}，或选择您已有的文件夹。</translation>
    </message>
    <message>
        <source>{model} at commit {commit} is not on this computer. Open Model… to download it{size} or choose a folder you already have.</source>
        <translation>提交为 {commit} 的 {model} 不在这台电脑上。请打开“DeepSeek-OCR 模型...”下载它{size}，或选择您已有的文件夹。</translation>
    </message>
    <message>
        <source>The model&apos;s own code has not been allowed to run yet. Its code changed since you allowed it. Review and confirm it in Model….</source>
        <translation>模型自带的代码尚未获准运行。自您允许以来，其代码已发生变化。请在“DeepSeek-OCR 模型...”中查看并确认。</translation>
    </message>
    <message>
        <source>The model&apos;s own code has not been allowed to run yet. Review and confirm it in Model….</source>
        <translation>模型自带的代码尚未获准运行。请在“DeepSeek-OCR 模型...”中查看并确认。</translation>
    </message>
    <message>
        <source>DeepSeek-OCR runs with its own Python code, which comes with the model from {location}. Loading the model runs this code on your computer with your user&apos;s rights, like any program you install:

{files}

Code fingerprint: {fingerprint}…

Only continue if you trust where this model came from. You will be asked again if the code changes.</source>
        <extracomment>Files (besides the ``.py`` files) that decide which code runs: every ``auto_map`` lives in one.</extracomment>
        <translation>DeepSeek-OCR 运行时需要使用模型自带的 Python 代码，这些代码随模型来自 {location}。加载模型时，这些代码会以您的用户权限在您的电脑上运行，就像您安装的任何程序一样：

{files}

代码指纹：{fingerprint}…

只有在您信任此模型的来源时才继续。如果代码发生变化，系统会再次询问您。</translation>
    </message>
    <message>
        <source>  (none found)</source>
        <translation>  （未找到）</translation>
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
        <source>{title} — {hub_id} ({size}, {params} parameters)</source>
        <translation>{title} — {hub_id}（{size}，{params} 参数）</translation>
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
        <extracomment>The names of the public signals.</extracomment>
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
    <name>Overlays</name>
    <message>
        <source>Replaced by the region&apos;s text</source>
        <extracomment>Side of a resize handle in screen pixels, at every zoom. A handle is the pair of edges it moves: -1 left/top, 1 right/bottom, 0 neither. The tag found room outside every box (False: it shows on hover or selection only). Tags are shown at all (the boxes and tags are switched on).</extracomment>
        <translation>将被区域的文本替换</translation>
    </message>
</context>
<context>
    <name>PageCanvas</name>
    <message>
        <source>No page selected</source>
        <extracomment>(block index, box index, the new Box in 0..999 of the displayed image) (the drawn Box, global position of the mouse release, for a popup menu) (block under the cursor or -1, global position) (block index, the place it was dropped at): a reading-order tag dragged onto another block</extracomment>
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
    <message>
        <source>{n} block of this page had a box that could not be read: kept as text, without a box.</source>
        <translation>此页有 {n} 个块的框无法读取：已保留为文本，没有框。</translation>
    </message>
    <message>
        <source>{n} blocks of this page had a box that could not be read: kept as text, without a box.</source>
        <translation>此页有 {n} 个块的框无法读取：已保留为文本，没有框。</translation>
    </message>
</context>
<context>
    <name>PreviewPane</name>
    <message>
        <source>This page is too long to preview ({n} characters; the preview shows up to {limit}).</source>
        <extracomment>Deeper-nested tables, more cells, list items, lines or characters than these are shown as written (see the module docstring). Qt&apos;s layout time doubles with each level of nested tables and grows with a table&apos;s cells (about 0.07 ms of GUI-thread CPU a cell on a quiet 2-core machine, twice that under load: 1,500 cells took 102-244 ms, a 20 KB Markdown table 2.8 s); Qt reads a list in a time that grows with the square of its items (4,900 items: 2.3 s, 1,000: 77 ms, 600: ~30 ms under load); a page of 6,600 one-word lines took 92 ms. The limits keep a page&apos;s render well under 50 ms (benchmarks/results/gui_responsiveness.md). Link schemes the preview offers to open (in the system&apos;s browser or mail program). A Markdown table&apos;s delimiter row (&quot;| --- | :-: |&quot;), and a line of a Markdown table (it has a &quot;|&quot;). The preview&apos;s limits, checked in this order: (reason, what is counted, the most rendered). a render finished (a new document or a grown one): what was selected in it is gone or stale Why the page is shown as written (&quot;chars&quot;, &quot;depth&quot;, &quot;cells&quot;, &quot;items&quot;, &quot;lines&quot;), or &quot;&quot; when it is rendered.</extracomment>
        <translation>此页太长，无法预览（{n} 个字符；预览最多显示 {limit} 个）。</translation>
    </message>
    <message>
        <source>This page has tables nested {n} deep, too deep to preview (the limit is {limit}).</source>
        <translation>此页的表格嵌套了 {n} 层，太深，无法预览（上限为 {limit} 层）。</translation>
    </message>
    <message>
        <source>This page has {n} table cells, too many to preview (the limit is {limit}).</source>
        <translation>此页有 {n} 个表格单元格，太多，无法预览（上限为 {limit} 个）。</translation>
    </message>
    <message>
        <source>This page has {n} list items, too many to preview (the limit is {limit}).</source>
        <translation>此页有 {n} 个列表项，太多，无法预览（上限为 {limit} 个）。</translation>
    </message>
    <message>
        <source>This page has {n} lines, too many to preview (the limit is {limit}).</source>
        <translation>此页有 {n} 行，太多，无法预览（上限为 {limit} 行）。</translation>
    </message>
    <message>
        <source>({n} more characters: the editor has the whole text)</source>
        <translation>（还有 {n} 个字符：编辑器中有全部文本）</translation>
    </message>
    <message>
        <source>Its text is shown as written.</source>
        <translation>按原文显示其文本。</translation>
    </message>
    <message>
        <source>Link</source>
        <translation>链接</translation>
    </message>
    <message>
        <source>Links to {scheme} locations are not opened from the preview:
{url}</source>
        <translation>预览中不会打开指向 {scheme} 位置的链接：
{url}</translation>
    </message>
    <message>
        <source>local</source>
        <translation>本地</translation>
    </message>
    <message>
        <source>Open link</source>
        <translation>打开链接</translation>
    </message>
    <message>
        <source>Open this link from the page text in your browser?

{url}</source>
        <translation>要在浏览器中打开页面文本中的这个链接吗？

{url}</translation>
    </message>
</context>
<context>
    <name>Project</name>
    <message>
        <source>{name} is in use by another run of the app.</source>
        <extracomment>Who holds the locks this process takes, written into them so that the message shown to whoever finds the project locked says who has it: ``WINDOW`` (the app&apos;s window) or ``COMMAND_LINE`` (``desktop-ocr convert --project``); the entry points call :func:`set_holder`.</extracomment>
        <translation>{name} 正被本应用的另一个运行实例使用。</translation>
    </message>
    <message>
        <source>{name} is in use by a command-line run (desktop-ocr convert, process {pid}) on this computer.</source>
        <translation>{name} 正被这台电脑上的命令行运行（desktop-ocr convert，进程 {pid}）使用。</translation>
    </message>
    <message>
        <source>{name} is in use by a command-line run (desktop-ocr convert, process {pid}) on {host}.</source>
        <translation>{name} 正被 {host} 上的命令行运行（desktop-ocr convert，进程 {pid}）使用。</translation>
    </message>
    <message>
        <source>{name} is open in another window of the app on this computer (process {pid}).</source>
        <translation>{name} 已在这台电脑上的另一个应用窗口中打开（进程 {pid}）。</translation>
    </message>
    <message>
        <source>{name} is open in another window of the app on {host} (process {pid}).</source>
        <translation>{name} 已在 {host} 上的另一个应用窗口中打开（进程 {pid}）。</translation>
    </message>
    <message>
        <source>{name} is in use by another run of the app on this computer (process {pid}).</source>
        <translation>{name} 正被这台电脑上本应用的另一个运行实例使用（进程 {pid}）。</translation>
    </message>
    <message>
        <source>{name} is in use by another run of the app on {host} (process {pid}).</source>
        <translation>{name} 正被 {host} 上本应用的另一个运行实例使用（进程 {pid}）。</translation>
    </message>
    <message>
        <source>{name} already exists.</source>
        <extracomment>Sources up to this size are handed to renderers as bytes; bigger ones as a cached file. Typing more than this many seconds after the last edit starts a new version. How long closing waits for other connections (readers) before giving up on the checkpoint. The blocks of ``text`` (``model.blocks.Span``); None: found again from the result&apos;s blocks. Held while a file&apos;s bytes are written (import threads) and while the file is copied (Save As) or closed, so that no blob is half in the old file and missing from the new. Set when the store is closing: reads of original files in other threads (a page being rendered from a big file) stop at their next chunk, so that closing never waits for them. Called with a message when a write fails (disk full, file gone); the GUI shows it. Opened read-only because stored values are damaged (:meth:`open_read_only`): nothing is written to the file; :meth:`save_as` writes a repaired copy and continues there. What was damaged, one line each (e.g. &quot;pages.width of page 2 of scan.pdf: inf&quot;).</extracomment>
        <translation>{name} 已存在。</translation>
    </message>
    <message>
        <source>{name} could not be created: {error}</source>
        <translation>无法创建 {name}：{error}</translation>
    </message>
    <message>
        <source>{name} does not exist.</source>
        <translation>{name} 不存在。</translation>
    </message>
    <message>
        <source>{name} is read-only or in a folder you cannot write to. Copy it to a folder of yours (your changes are saved as you work).</source>
        <translation>{name} 是只读的，或位于您无法写入的文件夹中。请将其复制到您自己的文件夹（您的更改会在工作时随时保存）。</translation>
    </message>
    <message>
        <source>{name} is damaged or not a project file ({error}).</source>
        <translation>{name} 已损坏或不是项目文件（{error}）。</translation>
    </message>
    <message>
        <source>{name} is damaged: a stored value cannot be read ({error}).</source>
        <translation>{name} 已损坏：无法读取其中存储的值（{error}）。</translation>
    </message>
    <message>
        <source>The project is closed.</source>
        <translation>项目已关闭。</translation>
    </message>
    <message>
        <source>{name} is damaged and of an older version; it was not opened.</source>
        <translation>{name} 已损坏且是旧版本，未打开。</translation>
    </message>
    <message>
        <source>the project was closed while importing</source>
        <translation>导入过程中项目已关闭</translation>
    </message>
    <message>
        <source>the stored copy of this file has an invalid checksum record</source>
        <translation>此文件存储的副本的校验和记录无效</translation>
    </message>
    <message>
        <source>the stored copy of this file is damaged</source>
        <translation>此文件存储的副本已损坏</translation>
    </message>
    <message>
        <source>{name} could not be saved: {error}</source>
        <translation>无法保存 {name}：{error}</translation>
    </message>
    <message>
        <source>The disk is full: could not save {name} ({folder}).</source>
        <extracomment>Schema upgrade steps: ``_UPGRADES[n]`` turns a version-n file into version n+1, in one transaction.</extracomment>
        <translation>磁盘已满：无法保存 {name}（{folder}）。</translation>
    </message>
    <message>
        <source>Your changes could not be saved to {name}: {error}</source>
        <translation>无法将您的更改保存到 {name}：{error}</translation>
    </message>
    <message>
        <source>{name} is damaged: the stored {field} is not valid ({value}); it was not opened.</source>
        <translation>{name} 已损坏：存储的 {field} 无效（{value}）；未打开该项目。</translation>
    </message>
    <message>
        <source>{name} could not be read: reading it took too long; it was not opened.</source>
        <translation>无法读取 {name}：读取时间过长；未打开该项目。</translation>
    </message>
    <message>
        <source>{name} is not a project file or is damaged ({error}).</source>
        <translation>{name} 不是项目文件或已损坏（{error}）。</translation>
    </message>
    <message>
        <source>{name} is not a {suffix} project file.</source>
        <translation>{name} 不是 {suffix} 项目文件。</translation>
    </message>
    <message>
        <source>{name} was made by a newer version of the app; update the app to open it.</source>
        <translation>{name} 是由更新版本的应用创建的；请更新应用后再打开。</translation>
    </message>
    <message>
        <source>A document needs a name.</source>
        <extracomment>The user&apos;s text. None means &quot;not edited&quot;: the current text is the result&apos;s Markdown. The user&apos;s blocks in ``edited_text`` (see ``model.blocks``); None: found from the result&apos;s. Origin of a TEXT change: &quot;edit&quot; (typing), &quot;restore&quot; (history), &quot;ocr&quot; (new result).</extracomment>
        <translation>文档需要一个名称。</translation>
    </message>
    <message>
        <source>Split a document between two of its pages.</source>
        <translation>请在文档的两页之间拆分。</translation>
    </message>
    <message>
        <source>Choose at least two documents to merge.</source>
        <translation>请至少选择两个文档进行合并。</translation>
    </message>
    <message>
        <source>{n} more</source>
        <extracomment>Column definitions each schema version added (``ALTER TABLE ... ADD COLUMN``): absent before it. Objects SQLite makes itself: the AUTOINCREMENT counters and the indexes of primary keys.</extracomment>
        <translation>另外 {n} 项</translation>
    </message>
    <message>
        <source>{name} contains SQL that this app did not write ({objects}); it was not opened.</source>
        <translation>{name} 含有不是本应用写入的 SQL（{objects}）；未打开该项目。</translation>
    </message>
    <message>
        <source>{name} is damaged: its tables {tables} are missing or were altered; it was not opened.</source>
        <translation>{name} 已损坏：其数据表 {tables} 缺失或被更改；未打开该项目。</translation>
    </message>
</context>
<context>
    <name>ProofreadingBox</name>
    <message>
        <source>Proofreading</source>
        <translation>校对</translation>
    </message>
    <message>
        <source>Underline words the engine was unsure of</source>
        <translation>为引擎不确定的词加下划线</translation>
    </message>
    <message>
        <source>Words read with a lower confidence are underlined</source>
        <translation>置信度低于此值的词会加下划线</translation>
    </message>
    <message>
        <source>Confidence below</source>
        <translation>置信度低于</translation>
    </message>
    <message>
        <source>Underline words not in the dictionaries</source>
        <translation>为不在词典中的词加下划线</translation>
    </message>
    <message>
        <source>Dictionaries</source>
        <translation>词典</translation>
    </message>
    <message>
        <source>No dictionaries are installed. Install desktop-ocr with its &apos;spelling&apos; extra to check spelling.</source>
        <translation>未安装词典。安装 desktop-ocr 的 &apos;spelling&apos; 附加组件即可检查拼写。</translation>
    </message>
    <message>
        <source>F8 in the text goes to the next marked word, Shift+F8 to the previous.</source>
        <translation>在文本中按 F8 跳到下一个标记的词,按 Shift+F8 跳到上一个。</translation>
    </message>
</context>
<context>
    <name>ReadOptionsDialog</name>
    <message>
        <source>Read {n} page with...</source>
        <extracomment>The model&apos;s positions: prompt and output together never exceed them (the engine caps too).</extracomment>
        <translation>识别 {n} 页，使用...</translation>
    </message>
    <message>
        <source>Read {n} pages with...</source>
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
    <message>
        <source>{engine} reads the text as it is: it has no prompts or resolution modes.</source>
        <translation>{engine} 按原样识别文字：没有提示词或分辨率模式。</translation>
    </message>
</context>
<context>
    <name>Reading</name>
    <message>
        <source>{page} could not be rendered ({error})</source>
        <extracomment>How often a paused loop looks for region requests and cancels (seconds).</extracomment>
        <translation>无法渲染 {page}（{error}）</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Out of memory while reading this page.</source>
        <translation>识别此页时内存不足。</translation>
    </message>
    <message>
        <source>The engine failed on this page: {error}</source>
        <translation>引擎在识别此页时出错：{error}</translation>
    </message>
    <message>
        <source>The engine returned no result for this page.</source>
        <extracomment>The official DeepSeek-OCR prompts, by key. ``{target}`` is filled for ``locate``. Token cap of a locate answer (a list of boxes): a looping answer stops early. Born-digital PDF pages are read from their own text layer (exact, no OCR) instead of their image; scans with an invisible OCR layer are always read again. A machine-readable reason: &quot;oom&quot;, &quot;cancelled&quot;, &quot;error&quot;, ... Suggestions the UI may offer, e.g. {&quot;mode&quot;: &quot;base&quot;, &quot;batch_size&quot;: 1} after an OOM. ``on_text(key, delta)``: a chunk of newly generated text for page ``key``. ``on_block(key, block)``: a block of page ``key`` is complete (boxes can be drawn now). ``progress(fraction 0..1 or -1 if unknown, message)``. ``done(key, outcome)``: page ``key`` is finished (a result, or a failure with its reason). Rough seconds per page for the ETA before any page has been measured.</extracomment>
        <translation>引擎没有返回此页的结果。</translation>
    </message>
</context>
<context>
    <name>RegionRunner</name>
    <message>
        <source>The region could not be read: {error}</source>
        <translation>无法识别该区域：{error}</translation>
    </message>
    <message>
        <source>The OCR engine is not available: {reason}</source>
        <translation>OCR 引擎不可用：{reason}</translation>
    </message>
</context>
<context>
    <name>RetryOffer</name>
    <message>
        <source>Out of GPU memory</source>
        <translation>GPU 显存不足</translation>
    </message>
    <message>
        <source>{n} page did not fit in the GPU&apos;s memory. Read it again in the smaller {mode} mode?</source>
        <translation>有 {n} 页超出了 GPU 显存容量。要以较小的 {mode} 模式重新识别吗？</translation>
    </message>
    <message>
        <source>{n} pages did not fit in the GPU&apos;s memory. Read them again in the smaller {mode} mode?</source>
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
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{page}: {reasons}</source>
        <translation>{page}：{reasons}</translation>
    </message>
</context>
<context>
    <name>ServerBox</name>
    <message>
        <source>DeepSeek-OCR server (vLLM, SGLang, Ollama)</source>
        <extracomment>The connection test ended (its text is in ``result_label``).</extracomment>
        <translation>DeepSeek-OCR 服务器（vLLM、SGLang、Ollama）</translation>
    </message>
    <message>
        <source>One or more servers, separated by commas: pages go to whichever server is free</source>
        <translation>一个或多个服务器，用逗号分隔：页面交给空闲的服务器</translation>
    </message>
    <message>
        <source>Server URLs</source>
        <translation>服务器 URL</translation>
    </message>
    <message>
        <source>the server&apos;s only model</source>
        <translation>服务器上唯一的模型</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>The environment variable holding the API key (or the system keyring). The key itself is never saved by Desktop OCR.</source>
        <translation>保存 API 密钥的环境变量（或系统密钥环）。Desktop OCR 从不保存密钥本身。</translation>
    </message>
    <message>
        <source>Pages in flight per server</source>
        <translation>每个服务器同时处理的页数</translation>
    </message>
    <message>
        <source>API key variable</source>
        <translation>API 密钥变量</translation>
    </message>
    <message>
        <source>Test connection</source>
        <translation>测试连接</translation>
    </message>
    <message>
        <source>Type the server&apos;s URL, e.g. http://localhost:8000/v1</source>
        <translation>请输入服务器的 URL，例如 http://localhost:8000/v1</translation>
    </message>
    <message>
        <source>Asking the server for its models and reading a sample page…</source>
        <translation>正在向服务器查询模型并识别示例页面…</translation>
    </message>
    <message>
        <source>The test failed: {error}</source>
        <translation>测试失败：{error}</translation>
    </message>
    <message>
        <source>no models</source>
        <translation>没有模型</translation>
    </message>
    <message>
        <source>Sample page read by {server} in {seconds:.1f} s: “{text}”</source>
        <translation>示例页面由 {server} 识别，用时 {seconds:.1f} 秒：“{text}”</translation>
    </message>
    <message>
        <source>The sample page was not read: {error}</source>
        <translation>未能识别示例页面：{error}</translation>
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
        <source>DeepSeek-OCR on a server (vLLM, SGLang, Ollama)</source>
        <translation>服务器上的 DeepSeek-OCR（vLLM、SGLang、Ollama）</translation>
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
        <source>Reads Latin-script languages, Chinese (simplified and traditional) and Japanese with the one recognition model RapidOCR ships; Cyrillic, Arabic, Korean and other scripts are not read by this engine</source>
        <translation>使用 RapidOCR 随附的唯一识别模型，可识别拉丁字母语言、中文（简体和繁体）和日文；西里尔文、阿拉伯文、韩文等其他文字本引擎无法识别</translation>
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
        <source>Use the text of born-digital PDF pages (no OCR)</source>
        <translation>使用原生数字 PDF 页面自带的文本（不进行 OCR）</translation>
    </message>
    <message>
        <source>Pages made by an office program or a typesetter keep their exact text and its place; scanned pages, also those with an earlier OCR layer, are still read</source>
        <translation>由办公软件或排版软件生成的页面保留其准确的文本及位置；扫描页面（包括已有旧 OCR 文本层的页面）仍会被识别</translation>
    </message>
    <message>
        <source>Open the last project at start</source>
        <translation>启动时打开上次的项目</translation>
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
        <source>Exact: token for token as the official infer()</source>
        <translation>精确：与官方 infer() 逐个词元一致</translation>
    </message>
    <message>
        <source>Fastest: batches several times faster</source>
        <translation>最快：批量识别快数倍</translation>
    </message>
    <message>
        <source>Pages read together on a GPU. Exact gives every page the text the official infer() gives it alone. Fastest reads batches several times faster; a page&apos;s text still does not depend on the other pages, but it can differ slightly from infer()&apos;s.</source>
        <translation>在 GPU 上同时识别多页时的方式。“精确”使每一页的文字与官方 infer() 单独识别该页时完全相同。“最快”的批量识别快数倍；一页的文字仍不受其他页影响，但可能与 infer() 的结果略有不同。</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>解码</translation>
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
<context>
    <name>WordMarks</name>
    <message>
        <source>These spelling dictionaries could not be loaded: {codes}</source>
        <translation>无法加载以下拼写词典:{codes}</translation>
    </message>
</context>
</TS>
