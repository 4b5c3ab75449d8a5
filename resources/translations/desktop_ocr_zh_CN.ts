<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN" sourcelanguage="en">
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
            <source>The model's own code</source>
            <translation>模型自带的代码</translation>
        </message>
        <message>
            <source>I trust this model's code and allow it to run on this computer</source>
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
            <source>A revision must be a full 40-character commit hash; 'Look up newest commit' finds one.</source>
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
</TS>
