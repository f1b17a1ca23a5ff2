<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US" sourcelanguage="ja_JP">
<context>
    <name>AnalysisPanel</name>
    <message>
        <location filename="../../dxdesk/ui/analysis_panel.py" line="+64"/>
        <source>未確定</source>
        <translation>TBD</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} / 目標 {target}</source>
        <translation>{count} / target {target}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} / 目標 {target} 達成</source>
        <translation>{count} / target {target} met</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} / 目標 {target} 未達</source>
        <translation>{count} / target {target} missed</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>{year} はまだ支援分類が確定していません</source>
        <translation>No support levels confirmed for {year} yet</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{year} に {level} と確定した市町村: {count}</source>
        <translation>Municipalities confirmed as {level} in {year}: {count}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{counted}（目標 {target}）</source>
        <translation>{counted} (target {target})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>目標を達成</source>
        <translation>target met</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>目標まであと {gap}</source>
        <translation>{gap} short of target</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{counted}（目標 {target}、{verdict}）</source>
        <translation>{counted} (target {target}, {verdict})</translation>
    </message>
    <message>
        <location line="+86"/>
        <source>分析</source>
        <translation>Analysis</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>支援分類ごとの市町村数</source>
        <translation>Municipalities per support level</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>確定した支援分類（市町村・年度ごとに最新のアセスメント）の数です。目標のある年度は 達成（緑）・未達（赤）で示します。</source>
        <translation>Counts of confirmed support levels (the latest assessment per municipality and year). Years with a target show it as met (green) or missed (red).</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>KPI の説明</source>
        <translation>About the KPI</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>支援分類ごとの市町村数（KPI）</source>
        <translation>Municipalities per support level (KPI)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>得点率の年度</source>
        <translation>Fiscal year of the scores</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>年度(&amp;Y)</source>
        <translation>&amp;Year</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>得点率の集計対象</source>
        <translation>What the scores cover</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+6"/>
        <source>項目別の得点率</source>
        <translation>Score by item</translation>
    </message>
    <message>
        <location line="+61"/>
        <source>アセスメントがまだありません</source>
        <translation>No assessments yet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>前年度比は {year} との差</source>
        <translation>change against {year}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>前年度のアセスメントがないため前年度比はありません</source>
        <translation>no change shown: no assessments the year before</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{count} 団体の最新のアセスメントから（{compared}）</source>
        <translation>From the latest assessments of {count} municipalities ({compared})</translation>
    </message>
</context>
<context>
    <name>ArticleEditor</name>
    <message>
        <location filename="../../dxdesk/ui/article_editor.py" line="+155"/>
        <source>詳しい人</source>
        <translation>People who know</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+4"/>
        <source>詳しい人（メモ）</source>
        <translation>People who know (note)</translation>
    </message>
    <message>
        <location line="-2"/>
        <location line="+3"/>
        <source>元の相談記録</source>
        <translation>From engagements</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>添付ファイル</source>
        <translation>Attached files</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>{count} 件の相談記録から</source>
        <translation>From {count} engagement(s)</translation>
    </message>
</context>
<context>
    <name>ArticleFields</name>
    <message>
        <location line="-107"/>
        <location line="+13"/>
        <source>題名</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>テーマ（「、」区切り）</source>
        <translation>Themes (separated by 、)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>タグ（「、」区切り）</source>
        <translation>Tags (separated by 、)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>どう進めたか、何が効いたか、つまずいた点</source>
        <translation>How it was done, what worked, where it stumbled</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>区分</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>テーマ</source>
        <translation>Theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>タグ</source>
        <translation>Tags</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>本文</source>
        <translation>Body</translation>
    </message>
</context>
<context>
    <name>AssessmentPanel</name>
    <message>
        <location filename="../../dxdesk/ui/assessment_panel.py" line="+65"/>
        <source>日付なし</source>
        <translation>no date</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>未確定</source>
        <translation>Not confirmed</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>表示するアセスメント</source>
        <translation>Assessment shown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>新しいアセスメントの年度</source>
        <translation>Fiscal year of a new assessment</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>この年度で新規作成</source>
        <translation>New for this year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>アセスメントを新規作成</source>
        <translation>New assessment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>アセスメントを削除</source>
        <translation>Delete assessment</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>アセスメント</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>調査の比較レポート…</source>
        <translation>Survey comparison report…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>この市町村の調査の比較レポート</source>
        <translation>This municipality&apos;s survey comparison report</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全設問の回答を県全体・振興局管内の回答と並べた PDF を表示します</source>
        <translation>Shows a PDF of every answer beside the prefecture&apos;s and the region&apos;s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>調査の全体集計…</source>
        <translation>Survey overview…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>全市町村の調査レポートと全体集計</source>
        <translation>Every municipality&apos;s survey report and the overview</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>回答した全市町村の比較レポートと全体集計（PDF・Excel）をフォルダへ書き出します</source>
        <translation>Writes the comparison report of every municipality that answered and the overview (PDF and Excel) into a folder</translation>
    </message>
    <message>
        <location line="+14"/>
        <location line="+15"/>
        <source>実施者</source>
        <translation>Assessor</translation>
    </message>
    <message>
        <location line="-10"/>
        <source>判断理由（提案と違う分類にするときは必ず）</source>
        <translation>Reason (required when it differs from the suggestion)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>方法</source>
        <translation>Method</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>実施日</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>回答</source>
        <translation>Answers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>確定した支援分類</source>
        <translation>Confirmed support level</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+46"/>
        <source>判断理由</source>
        <translation>Reason</translation>
    </message>
    <message>
        <location line="-31"/>
        <source>評価項目</source>
        <translation>Assessment items</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>合計と得点率</source>
        <translation>Total and score</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>分類別の得点率</source>
        <translation>Score by category</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>提案される支援分類</source>
        <translation>Suggested support level</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>提案の理由</source>
        <translation>Reasons for the suggestion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>集計と提案</source>
        <translation>Totals and suggestion</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>合計</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>分類別</source>
        <translation>By category</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>提案</source>
        <translation>Suggested</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>理由</source>
        <translation>Reasons</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>支援分類の確定</source>
        <translation>Confirm the support level</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>確定</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location line="+138"/>
        <source>この市町村のアセスメントはまだありません。年度を選んで「この年度で新規作成」を押すと、26 項目の回答欄が開きます。</source>
        <translation>This municipality has no assessments yet. Choose a fiscal year and press “New for this year” to open the 26 items.</translation>
    </message>
    <message>
        <location line="+44"/>
        <source>{total} / {maximum} 点&#x3000;得点率 {ratio}
（回答 {answered} / {items} 項目）</source>
        <translation>{total} / {maximum} points  score ratio {ratio}
({answered} / {items} items answered)</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>提案（{level}）と違う分類にするときは、判断理由を書いてください。書くまで確定は保存されません。</source>
        <translation>To confirm a level other than the suggestion ({level}), write the reason. The level is not saved until you do.</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>{assessment} のアセスメント</source>
        <translation>assessment {assessment}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>アセスメントの削除</source>
        <translation>Delete assessment</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{what}を削除しますか？</source>
        <translation>Delete {what}?</translation>
    </message>
</context>
<context>
    <name>Attachment</name>
    <message>
        <location filename="../../dxdesk/ui/attachment_format.py" line="+23"/>
        <source>PDF</source>
        <translation>PDF</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>Word</source>
        <translation>Word</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+1"/>
        <source>Excel</source>
        <translation>Excel</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>CSV</source>
        <translation>CSV</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <source>PowerPoint</source>
        <translation>PowerPoint</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+1"/>
        <location line="+8"/>
        <source>テキスト</source>
        <translation>Text</translation>
    </message>
    <message>
        <location line="-7"/>
        <source>圧縮ファイル</source>
        <translation>Archive</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>一太郎</source>
        <translation>Ichitaro</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>画像</source>
        <translation>Image</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>動画</source>
        <translation>Video</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>音声</source>
        <translation>Audio</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>{n} バイト</source>
        <translation>{n} bytes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{n} KB</source>
        <translation>{n} KB</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{n} MB</source>
        <translation>{n} MB</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>未取得</source>
        <translation>not downloaded</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>送信待ち</source>
        <translation>waiting to go up</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>・</source>
        <translation> · </translation>
    </message>
    <message>
        <location line="+5"/>
        <source>このパソコンにはまだありません。開くとサーバーから取得します。</source>
        <translation>Not on this computer yet. Opening it fetches it from the server.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>まだサーバーに送られていません。次の同期で送ります。</source>
        <translation>Not sent to the server yet. The next sync sends it.</translation>
    </message>
</context>
<context>
    <name>AttachmentActions</name>
    <message>
        <location filename="../../dxdesk/ui/attachment_actions.py" line="+109"/>
        <source>ファイルの添付</source>
        <translation>Attach files</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>添付を中止しました。</source>
        <translation>Attaching was cancelled.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>添付しています…</source>
        <translation>Attaching…</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>{count} 件のファイルを取り込んでいます…</source>
        <translation>Taking in {count} files…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{count} 件のファイルを{target}に添付しました: {names}</source>
        <translation>Attached {count} files to {target}: {names}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} 件のファイルを添付しました: {names}</source>
        <translation>Attached {count} files: {names}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>（フォルダ {names} は添付していません。中のファイルを選んでください）</source>
        <translation> (the folder {names} was not attached: choose the files inside it)</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>「{name}」を開いています…</source>
        <translation>Opening “{name}”…</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>このファイルを開くアプリケーションが見つかりません。「名前を付けて保存…」で保存してから開いてください。</source>
        <translation>No application was found to open this file. Save it with “Save As…” and open it from there.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>「{name}」を保存しています…</source>
        <translation>Saving “{name}”…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>保存しました: {path}</source>
        <translation>Saved: {path}</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>「{name}」はまだこのパソコンにありません。同期（ログインが必要です）すると取得できます。</source>
        <translation>“{name}” is not on this computer yet. Sync (you need to be logged in) to fetch it.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>「{name}」をサーバーから取得しています…</source>
        <translation>Fetching “{name}” from the server…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ファイルの取得</source>
        <translation>Fetching a File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>添付ファイル「{name}」</source>
        <translation>the attached file “{name}”</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>添付ファイルの削除</source>
        <translation>Delete Attached File</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what}を削除しますか？（「元に戻す」で戻せます）</source>
        <translation>Delete {what}? (Undo brings it back.)</translation>
    </message>
</context>
<context>
    <name>AttachmentsPanel</name>
    <message>
        <location filename="../../dxdesk/ui/attachments_panel.py" line="+154"/>
        <source>記録を選ぶと、ファイルを添付できます。</source>
        <translation>Choose a record to attach files to it.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>添付ファイルの一覧</source>
        <translation>Attached files</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>添付の状態</source>
        <translation>Attachment status</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ファイルを添付…</source>
        <translation>Attach Files…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>開く</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>名前を付けて保存…</source>
        <translation>Save As…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添付ファイルを削除</source>
        <translation>Delete the attached file</translation>
    </message>
    <message>
        <location line="+114"/>
        <source>ファイルをここにドラッグ＆ドロップしても添付できます。</source>
        <translation>You can also drag and drop files here to attach them.</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>添付するファイルを選ぶ</source>
        <translation>Choose Files to Attach</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>フォルダは添付できません: {names}。フォルダを開いて、中のファイルを選んで添付してください。</source>
        <translation>Folders cannot be attached: {names}. Open the folder and choose the files inside it.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>名前を付けて保存</source>
        <translation>Save As</translation>
    </message>
</context>
<context>
    <name>AttendanceTable</name>
    <message>
        <location filename="../../dxdesk/ui/attendance_table.py" line="+56"/>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>振興局</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>人数</source>
        <translation>People</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>参加市町村と人数</source>
        <translation>Municipalities taking part and how many people</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>参加する市町村だけを表示</source>
        <translation>Show only the municipalities taking part</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>参加の合計</source>
        <translation>Attendance total</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>参加市町村についての注意</source>
        <translation>About the participants</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>{region}の市町村をすべて参加にする</source>
        <translation>Add every municipality of {region}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>参加 {count} 市町村・{people} 名</source>
        <translation>{count} municipalities, {people} people taking part</translation>
    </message>
    <message>
        <location line="+20"/>
        <source> 名</source>
        <translation> people</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{name}の人数</source>
        <translation>People from {name}</translation>
    </message>
</context>
<context>
    <name>AutosaveForm</name>
    <message>
        <location filename="../../dxdesk/ui/autosave.py" line="+208"/>
        <source>保存の状態</source>
        <translation>Save state</translation>
    </message>
    <message>
        <location line="+90"/>
        <source>編集中…</source>
        <translation>Editing…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>保存中…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>この記録はもうありません（削除されたか、担当から外れました）。入力は保存できません。</source>
        <translation>This record is no longer here (it was deleted, or is no longer assigned to you). The input cannot be saved.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>保存済み</source>
        <translation>Saved</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>未保存: {label} — {reason}</source>
        <translation>Not saved: {label} — {reason}</translation>
    </message>
</context>
<context>
    <name>BackupActions</name>
    <message>
        <location filename="../../dxdesk/ui/backup_actions.py" line="+84"/>
        <source>バックアップから復元(&amp;R)…</source>
        <translation>&amp;Restore from Backup…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>バックアップの合言葉を設定(&amp;K)…</source>
        <translation>Set the bac&amp;kup passphrase…</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>自動バックアップは、バックアップの合言葉を決めるまで止まっています（ファイル → バックアップの合言葉を設定…）</source>
        <translation>Automatic backups wait until a backup passphrase is set (File → Set the backup passphrase…)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>バックアップの合言葉</source>
        <translation>Backup passphrase</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>バックアップの合言葉はもう決まっています</source>
        <translation>The backup passphrase is already set</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>この端末にはキーチェーンがありません。バックアップの合言葉を入力してください</source>
        <translation>This computer has no keychain. Enter the backup passphrase</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>バックアップを作りませんでした（暗号化にはバックアップの合言葉が要ります）</source>
        <translation>No backup was made (encryption needs the backup passphrase)</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>自動バックアップを作れませんでした: {error}</source>
        <translation>Could not make the automatic backup: {error}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>記録が壊れています</source>
        <translation>The records are damaged</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>データフォルダの記録 {path} の一部が読めません（壊れています）。
それまでのバックアップはそのまま残してあります。バックアップから復元してください。</source>
        <translation>Part of the records of the data folder, {path}, cannot be read (they are damaged).
The earlier backups have been kept as they were. Please restore from a backup.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>バックアップから復元…</source>
        <translation>Restore from Backup…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+15"/>
        <location line="+22"/>
        <location line="+28"/>
        <location line="+31"/>
        <location line="+36"/>
        <source>バックアップから復元</source>
        <translation>Restore from Backup</translation>
    </message>
    <message>
        <location line="-116"/>
        <source>バックアップはまだありません（DX Desk を開くと作られます）</source>
        <translation>There are no backups yet (one is made when DX Desk opens)</translation>
    </message>
    <message>
        <location line="+24"/>
        <location line="+57"/>
        <source>同期が終わってから、もう一度復元してください</source>
        <translation>Please restore again once the sync has finished</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>まだ同期していない変更が {count} 件の記録にあります。
今復元すると、それらはアプリから消え、データフォルダに残すdxdesk-before-restore-….sqlite3（アプリからは開けません）にだけ残ります。
先に同期しておけば、復元のあとの同期でサーバーから戻ります。</source>
        <translation>{count} records have changes not yet synced.
If you restore now, they leave the app and remain only in dxdesk-before-restore-….sqlite3, kept in the data folder (the app cannot open it).
If you sync first, the sync after the restore brings them back from the server.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>それでも復元する</source>
        <translation>Restore Anyway</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>先に同期する</source>
        <translation>Sync First</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+46"/>
        <source>{taken} のバックアップから戻しました（それまでの記録は {aside}）。同期すると、サーバーにある新しい記録も戻ります</source>
        <translation>Restored the backup of {taken} (the records before it are in {aside}). Syncing brings back the newer records on the server too</translation>
    </message>
</context>
<context>
    <name>Blank</name>
    <message>
        <location filename="../../dxdesk/ui/format.py" line="+98"/>
        <source>（未入力）</source>
        <translation>(not entered)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>（無題）</source>
        <translation>(untitled)</translation>
    </message>
</context>
<context>
    <name>CadenceDialog</name>
    <message>
        <location line="+34"/>
        <source>未設定</source>
        <translation>Not set</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>毎月</source>
        <translation>Every month</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{months}か月ごと</source>
        <translation>Every {months} months</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/cadence_editor.py" line="+46"/>
        <source>定例の間隔 — {name}</source>
        <translation>Consultation interval — {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>定例の間隔</source>
        <translation>Consultation interval</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>例: 第2火曜の午前</source>
        <translation>e.g. second Tuesday, mornings</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+17"/>
        <source>メモ</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>定例よろず相談をどのくらいの間隔で行うか。間隔の中で実施も予定もない市町村は「期限超過」と表示されます。</source>
        <translation>How often the regular consultations take place. A municipality with none held or planned within the interval is shown as “Overdue”.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>間隔</source>
        <translation>Interval</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>保存中…</source>
        <translation>Saving…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>保存できませんでした: {reason}</source>
        <translation>Could not save: {reason}</translation>
    </message>
</context>
<context>
    <name>CalendarActions</name>
    <message>
        <location filename="../../dxdesk/ui/calendar_actions.py" line="+44"/>
        <location line="+34"/>
        <source>カレンダーに書き出す</source>
        <translation>Export to calendar</translation>
    </message>
    <message>
        <location line="-22"/>
        <source>カレンダーを書き出しています…</source>
        <translation>Exporting the calendar…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>カレンダーを書き出しました: {path}（相談 {visits} 件、合同の場 {events} 件、期限 {due} 件）。Outlook や Google カレンダーに取り込めます</source>
        <translation>Calendar exported: {path} ({visits} consultations, {events} group sessions, {due} due dates). Import it into Outlook or Google Calendar</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>カレンダーを書き出せませんでした: {reason}</source>
        <translation>Could not export the calendar: {reason}</translation>
    </message>
</context>
<context>
    <name>CandidateList</name>
    <message>
        <location filename="../../dxdesk/ui/share_knowledge.py" line="+54"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{person}&#x3000;連絡先: {contact}</source>
        <translation>{person}  Contact: {contact}</translation>
    </message>
</context>
<context>
    <name>ChildRecordsSection</name>
    <message>
        <location filename="../../dxdesk/ui/child_records.py" line="+74"/>
        <source>{noun}の一覧</source>
        <translation>List of {noun}s</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{noun}を追加</source>
        <translation>Add {noun}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>削除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{noun}を削除</source>
        <translation>Delete {noun}</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>{noun}の削除</source>
        <translation>Delete {noun}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what} を削除しますか？</source>
        <translation>Delete {what}?</translation>
    </message>
</context>
<context>
    <name>ChooseFilePage</name>
    <message>
        <location filename="../../dxdesk/ui/survey_wizard_pages.py" line="+91"/>
        <source>ファイルを選ぶ</source>
        <translation>Choose the file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>市町村から届いた回答のファイル（.xlsx・.xls・.ods か CSV）を選んでください。</source>
        <translation>Choose the answers file a municipality sent (.xlsx, .xls, .ods or CSV).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>回答のファイル</source>
        <translation>Answers file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ファイルから判定</source>
        <translation>From the file</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>回答のファイルを選ぶ</source>
        <translation>Choose the answers file</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>調査の回答 (*.xlsx *.xlsm *.xls *.ods *.csv)</source>
        <translation>Survey answers (*.xlsx *.xlsm *.xls *.ods *.csv)</translation>
    </message>
</context>
<context>
    <name>ChooseKindFilePage</name>
    <message>
        <location filename="../../dxdesk/ui/records_wizard_pages.py" line="+88"/>
        <source>種類とファイル</source>
        <translation>Kind and file</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>取り込む記録の種類と、その記録の表（.xlsx・.xls・.ods か CSV）を選んでください。見出しの行の上にタイトルがあってもかまいません。</source>
        <translation>Choose the kind of records and the spreadsheet that holds them (.xlsx, .xls, .ods or CSV). A title above the header row is fine.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>記録の種類</source>
        <translation>Kind of records</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>取り込むファイル</source>
        <translation>File to import</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>参照(&amp;R)…</source>
        <translation>B&amp;rowse…</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>種類(&amp;K)</source>
        <translation>&amp;Kind</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ファイル(&amp;L)</source>
        <translation>Fi&amp;le</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>取り込むファイルを選ぶ</source>
        <translation>Choose the file to import</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>表のファイル ({patterns})</source>
        <translation>Spreadsheets ({patterns})</translation>
    </message>
</context>
<context>
    <name>Column</name>
    <message>
        <location filename="../../dxdesk/ui/analysis_panel.py" line="-197"/>
        <location filename="../../dxdesk/ui/knowledge_panel.py" line="+75"/>
        <location filename="../../dxdesk/ui/overview_panel.py" line="+60"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>確定済み</source>
        <translation>Confirmed</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>コード</source>
        <translation>Code</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/records_mapping_page.py" line="+49"/>
        <source>項目</source>
        <translation>Item</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../dxdesk/ui/overview_panel.py" line="+13"/>
        <source>得点率</source>
        <translation>Score</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>前年度比</source>
        <translation>Change</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>回答団体</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>分類</source>
        <translation>Category</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/engagement_editor.py" line="+148"/>
        <source>相手</source>
        <translation>Interviewee</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>役職・担当</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+24"/>
        <location filename="../../dxdesk/ui/event_follow_ups.py" line="+83"/>
        <location filename="../../dxdesk/ui/follow_ups_panel.py" line="+62"/>
        <location filename="../../dxdesk/ui/records_preview_page.py" line="+45"/>
        <location line="+11"/>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="+37"/>
        <location line="+5"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="+49"/>
        <location line="+10"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../dxdesk/ui/follow_ups_panel.py" line="+3"/>
        <source>担当</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/event_follow_ups.py" line="+3"/>
        <location filename="../../dxdesk/ui/follow_ups_panel.py" line="-12"/>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/engagements_panel.py" line="+59"/>
        <location filename="../../dxdesk/ui/event_follow_ups.py" line="+1"/>
        <location filename="../../dxdesk/ui/events_panel.py" line="+70"/>
        <location filename="../../dxdesk/ui/follow_ups_panel.py" line="+13"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="-15"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/engagements_panel.py" line="-3"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+6"/>
        <location filename="../../dxdesk/ui/programme_panel.py" line="+79"/>
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>件名</source>
        <translation>Title</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/event_follow_ups.py" line="-9"/>
        <location filename="../../dxdesk/ui/follow_ups_panel.py" line="-9"/>
        <location filename="../../dxdesk/ui/know_who_panel.py" line="+54"/>
        <location filename="../../dxdesk/ui/knowledge_panel.py" line="+5"/>
        <location filename="../../dxdesk/ui/municipality_list.py" line="+47"/>
        <location filename="../../dxdesk/ui/programme_panel.py" line="+28"/>
        <location filename="../../dxdesk/ui/records_preview_page.py" line="-22"/>
        <location line="+9"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="+4"/>
        <location filename="../../dxdesk/ui/survey_status_table.py" line="+36"/>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/programme_panel.py" line="-58"/>
        <source>実施 / 計画</source>
        <translation>Held / plan</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>予定</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>中止</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>参加団体</source>
        <translation>Municipalities</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参加人数</source>
        <translation>People</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+20"/>
        <location filename="../../dxdesk/ui/survey_status_table.py" line="+1"/>
        <source>振興局</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="-12"/>
        <source>制度</source>
        <translation>Scheme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>団体</source>
        <translation>Municipalities</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>件 / 計画</source>
        <translation>Uses / plan</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>間隔</source>
        <translation>Interval</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>実施 / 目安</source>
        <translation>Held / expected</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/municipality_list.py" line="+3"/>
        <location filename="../../dxdesk/ui/overview_panel.py" line="-9"/>
        <source>支援分類</source>
        <translation>Support level</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>最終相談</source>
        <translation>Last contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>次回予定</source>
        <translation>Next</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未完了</source>
        <translation>Open</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/know_who_panel.py" line="-1"/>
        <location filename="../../dxdesk/ui/overview_panel.py" line="-13"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>所属・役割</source>
        <translation>Organisation / role</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/knowledge_panel.py" line="+5"/>
        <location filename="../../dxdesk/ui/programme_panel.py" line="-23"/>
        <source>テーマ</source>
        <translation>Theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>連絡先</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>出典</source>
        <translation>Source</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/overview_panel.py" line="+1"/>
        <source>所属</source>
        <translation>Department</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>役職</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>電話</source>
        <translation>Phone</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>メール</source>
        <translation>Email</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>提案</source>
        <translation>Suggested</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>実施日</source>
        <translation>Assessed on</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/records_mapping_page.py" line="-3"/>
        <location filename="../../dxdesk/ui/records_preview_page.py" line="+11"/>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="-7"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="-7"/>
        <location line="+16"/>
        <source>列</source>
        <translation>Column</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="-15"/>
        <source>見出し</source>
        <translation>Header</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>例</source>
        <translation>Examples</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>確認</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="+1"/>
        <source>取り込み先</source>
        <translation>Imported as</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/records_preview_page.py" line="-19"/>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>変更なし</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除済み</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <location line="+3"/>
        <location line="+11"/>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="-1"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="+4"/>
        <location line="+9"/>
        <source>行</source>
        <translation>Row</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>記録</source>
        <translation>Record</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="-6"/>
        <source>変わる項目</source>
        <translation>Items that change</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>アプリの内容を残す項目</source>
        <translation>Fields kept as in the app</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="+1"/>
        <source>回答</source>
        <translation>Answers</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>除外</source>
        <translation>Exclude</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/records_preview_page.py" line="+3"/>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="-1"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="+1"/>
        <source>シート</source>
        <translation>Sheet</translation>
    </message>
    <message>
        <location line="+3"/>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="+3"/>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="+3"/>
        <source>値</source>
        <translation>Value</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="+4"/>
        <source>設問番号</source>
        <translation>Question</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>変更</source>
        <translation>Change</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/knowledge_panel.py" line="-16"/>
        <source>題名</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>区分</source>
        <translation>Category</translation>
    </message>
    <message>
        <location line="+16"/>
        <location filename="../../dxdesk/ui/records_preview_page.py" line="-18"/>
        <source>更新</source>
        <translation>Updated</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/backup_restore_dialog.py" line="+18"/>
        <source>作成日時</source>
        <translation>Made</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>大きさ</source>
        <translation>Size</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/attachments_panel.py" line="-303"/>
        <source>ファイル</source>
        <translation>File</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>追加者</source>
        <translation>Added by</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>追加日時</source>
        <translation>Added</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_status_table.py" line="+3"/>
        <source>回答状況</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>回答日</source>
        <translation>Answered on</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>元のファイル</source>
        <translation>Source file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取り込み日</source>
        <translation>Imported on</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>回答した設問</source>
        <translation>Questions answered</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/events_panel.py" line="-9"/>
        <source>日時</source>
        <translation>Date and time</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>参加</source>
        <translation>Municipalities</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>人数</source>
        <translation>People</translation>
    </message>
</context>
<context>
    <name>ConfirmPage</name>
    <message>
        <location filename="../../dxdesk/ui/records_preview_page.py" line="+47"/>
        <location filename="../../dxdesk/ui/survey_wizard_pages.py" line="+31"/>
        <source>確認</source>
        <translation>Confirm</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/survey_wizard_pages.py" line="+1"/>
        <source>「取り込む」を押すと書き込みます。</source>
        <translation>Press &quot;Import&quot; to write it.</translation>
    </message>
    <message>
        <location line="+2"/>
        <location filename="../../dxdesk/ui/survey_wizard_pages.py" line="+2"/>
        <source>取り込む</source>
        <translation>Import</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>市町村別の件数</source>
        <translation>Counts by municipality</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>書き込む記録</source>
        <translation>Records to write</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>エラー</source>
        <translation>Errors</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>エラーの行を除いて取り込む(&amp;E)</source>
        <translation>Leave out the rows with &amp;errors</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>除いた行を戻す(&amp;U)</source>
        <translation>P&amp;ut the left-out rows back</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>読み直す(&amp;D)</source>
        <translation>Rea&amp;d again</translation>
    </message>
    <message>
        <location line="+52"/>
        <source>市町村別</source>
        <translation>By municipality</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>書き込む記録（{count}）</source>
        <translation>Records to write ({count})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>エラー（{count}）</source>
        <translation>Errors ({count})</translation>
    </message>
    <message>
        <location line="+51"/>
        <source>何も書き込んでいません。{reason}</source>
        <translation>Nothing was written. {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ファイルを読み直しました。下の結果を確かめてください。</source>
        <translation>The file was read again. Check the result below.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>エラーが {count} 件（{rows} 行）あります。ファイルを直して選び直すか、「エラーの行を除いて取り込む」を押してください。</source>
        <translation>There are {count} errors ({rows} rows). Fix the file and choose it again, or press “Leave out the rows with errors”.</translation>
    </message>
</context>
<context>
    <name>ConflictDialog</name>
    <message>
        <location filename="../../dxdesk/ui/sync_conflicts.py" line="+65"/>
        <source>同期の競合</source>
        <translation>Sync conflicts</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>他の人の変更とこの端末の変更が重なりました。1 件ずつ、残す値を選んでください。選んだ値は次の同期でサーバーに送ります。</source>
        <translation>Someone else&apos;s changes and this computer&apos;s changes overlap. For each one, choose the value to keep. Your choice goes to the server at the next sync.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>未解決の競合</source>
        <translation>Open conflicts</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>元の値</source>
        <translation>Original value</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>相手の値</source>
        <translation>Their value</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自分の値</source>
        <translation>My value</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>統合案（編集してから確定できます）</source>
        <translation>Merged proposal (you can edit it before confirming)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>統合案</source>
        <translation>Merged proposal</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>この文章で確定</source>
        <translation>Use this text</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>競合の解決の結果</source>
        <translation>Result of resolving</translation>
    </message>
    <message>
        <location line="+42"/>
        <source>未解決の競合はありません</source>
        <translation>No open conflicts</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+55"/>
        <source>相手の値にする</source>
        <translation>Take theirs</translation>
    </message>
    <message>
        <location line="-54"/>
        <location line="+55"/>
        <source>自分の値にする</source>
        <translation>Take mine</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>{name} さん</source>
        <translation>{name}</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>他の利用者</source>
        <translation>another user</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日時不明</source>
        <translation>unknown time</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>相手の値 — {who}（{when}）</source>
        <translation>Their value — {who} ({when})</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>自分の値 — {me}（この端末）</source>
        <translation>My value — {me} (this computer)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>元の値（前回の同期の時点）</source>
        <translation>Original value (at the last sync)</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{record} の「{field}」</source>
        <translation>&quot;{field}&quot; of {record}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{who}が {when} に「{field}」を変更し、この端末でも同じ項目を別の値に変更していました。どちらの値を残すか選んでください。</source>
        <translation>{who} changed &quot;{field}&quot; at {when}, and this computer had changed the same field to another value. Choose which value to keep.</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>文章は、両方の変更を合わせた下の案を直してから確定することもできます。</source>
        <translation>For text, you can also edit the proposal below, which combines both changes, and confirm it.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>自分（{me}）</source>
        <translation>me ({me})</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{who}が {when} にこの記録を削除しましたが、この端末ではその前に記録を変更していました。記録を残すと、この端末の変更とともに記録が全員に戻ります。</source>
        <translation>{who} deleted this record at {when}, but this computer had changed it before. Keeping the record brings it back for everyone, with the changes made here.</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>（削除されました）</source>
        <translation>(deleted)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除を受け入れる</source>
        <translation>Accept the deletion</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>記録を残す</source>
        <translation>Keep the record</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>この端末で削除した記録を、{who}が {when} に変更していました。削除するか、相手の変更を残すか選んでください。</source>
        <translation>{who} changed at {when} a record that was deleted on this computer. Choose whether to delete it or keep their changes.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>（この端末で削除しました）</source>
        <translation>(deleted on this computer)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>相手の変更を残す</source>
        <translation>Keep their changes</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>削除する</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>サーバーの返答</source>
        <translation>Server&apos;s answer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>サーバーがこの端末の変更を受け付けませんでした。担当から外れた市町村の記録などで起こります。原因が解消していれば「もう一度送る」、不要なら「送らずに取り下げる」を選んでください。</source>
        <translation>The server did not accept this change from this computer. This happens, for example, with records of a municipality no longer assigned to you. Choose &quot;Send again&quot; once the cause is fixed, or &quot;Withdraw&quot; if the change is no longer needed.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>（理由の説明はありません）</source>
        <translation>(no reason given)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>送らずに取り下げる</source>
        <translation>Withdraw</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>もう一度送る</source>
        <translation>Send again</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>解決しました。次の同期でサーバーに送ります。</source>
        <translation>Resolved. It goes to the server at the next sync.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>解決できませんでした: {error}</source>
        <translation>Could not resolve: {error}</translation>
    </message>
</context>
<context>
    <name>DefinitionCheckDialog</name>
    <message>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="+45"/>
        <source>調査の定義を読み込む</source>
        <translation>Load survey definition</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>確認の結果</source>
        <translation>Check result</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>定義の問題</source>
        <translation>Definition problems</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>問題をコピー</source>
        <translation>Copy problems</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>今の定義からの変更</source>
        <translation>Changes from the current definition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>変更をコピー</source>
        <translation>Copy changes</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>読み込む</source>
        <translation>Load</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>表をタブ区切りでクリップボードへ（Excel に貼り付けられます）</source>
        <translation>Copies the table as tab-separated text (it pastes into Excel)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{file} に問題が {count} 件あります。何も読み込んでいません。次の場所を直してから、もう一度読み込んでください。</source>
        <translation>{file} has {count} problems. Nothing was loaded. Fix the places below, then load it again.</translation>
    </message>
    <message>
        <location line="+23"/>
        <source>{file} に問題はありません。この年度の今の定義と同じなので、読み込んでも何も変わりません。</source>
        <translation>{file} has no problems. It is the same as this year&apos;s current definition, so loading it changes nothing.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{file} に問題はありません。「読み込む」で、この年度の調査の定義になり、次の同期で全員のパソコンに届きます。</source>
        <translation>{file} has no problems. &quot;Load&quot; makes it this year&apos;s survey definition; it reaches everyone&apos;s computer at the next sync.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>調査名</source>
        <translation>Survey title</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>設問</source>
        <translation>Questions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{questions} 問（{pages} ページ）</source>
        <translation>{questions} questions ({pages} pages)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>要確認の設問</source>
        <translation>Questions to confirm</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{count} 問</source>
        <translation>{count} questions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>今の定義</source>
        <translation>Current definition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>変更</source>
        <translation>Changes</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>この年度の回答 {count} 件は前の定義で取り込まれています。その回答は前の定義のまま読めます。新しい定義で読むには取り込み直してください。</source>
        <translation>{count} answers of this year were imported under the earlier definition. They stay readable under it; import them again to read them under the new one.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>取り込み済みの回答</source>
        <translation>Imported answers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回答</source>
        <translation>Answers</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>なし（設問と選択肢は今の定義と同じです）</source>
        <translation>None (the questions and choices are as in the current definition)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{questions} 問で {count} 件（下の表）</source>
        <translation>{count} in {questions} questions (table below)</translation>
    </message>
</context>
<context>
    <name>EngagementEditor</name>
    <message>
        <location filename="../../dxdesk/ui/engagement_editor.py" line="-93"/>
        <location line="+24"/>
        <source>件名</source>
        <translation>Title</translation>
    </message>
    <message>
        <location line="-23"/>
        <source>テーマ（「、」区切り）</source>
        <translation>Themes (comma-separated)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市町村側の出席者（「、」区切り）</source>
        <translation>Municipal attendees (comma-separated)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>アドバイザー側の出席者（「、」区切り）</source>
        <translation>Advisor attendees (comma-separated)</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+28"/>
        <source>概要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="-27"/>
        <location line="+28"/>
        <source>メモ</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="-26"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>国の制度</source>
        <translation>National scheme</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>形式</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>テーマ</source>
        <translation>Themes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>出席者（市町村）</source>
        <translation>Attendees (municipality)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>出席者（アドバイザー）</source>
        <translation>Attendees (advisors)</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>お名前</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>所属・役職</source>
        <translation>Department and role</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>聞き取った内容</source>
        <translation>What you heard</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>相手</source>
        <translation>Interviewee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>役職・担当</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+25"/>
        <location line="+28"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>フォロー</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>フォローアップ（相談後に行うこと）</source>
        <translation>Follow-ups (what to do after the consultation)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>フォロー（{count}）</source>
        <translation>Follow-ups ({count})</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>時間</source>
        <translation>Time</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>ヒアリング「{name}」</source>
        <translation>interview note “{name}”</translation>
    </message>
    <message>
        <location line="-111"/>
        <source>何をするか</source>
        <translation>What to do</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>誰が</source>
        <translation>Who</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限あり</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>担当</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="-85"/>
        <location line="+86"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+93"/>
        <source>フォローアップ「{what}」</source>
        <translation>follow-up “{what}”</translation>
    </message>
    <message>
        <location line="-80"/>
        <source>ヒアリングを選ぶと、そのヒアリングにファイルを添付できます。</source>
        <translation>Choose an interview note to attach files to it.</translation>
    </message>
    <message>
        <location line="-121"/>
        <location line="+19"/>
        <source>開始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="-18"/>
        <location line="+19"/>
        <source>終了</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="-13"/>
        <source>場所（会議室、オンラインの会議名など）</source>
        <translation>Place (meeting room, name of the online meeting, …)</translation>
    </message>
    <message>
        <location line="+120"/>
        <source>フォローアップを選ぶと、そのフォローアップにファイルを添付できます。</source>
        <translation>Choose a follow-up to attach files to it.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>相談記録の内容</source>
        <translation>Engagement details</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ヒアリング</source>
        <translation>Interviews</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>資料</source>
        <translation>Files</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>ヒアリング（{count}）</source>
        <translation>Interviews ({count})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>資料（{count}）</source>
        <translation>Files ({count})</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>ナレッジとして共有…</source>
        <translation>Share as knowledge…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>この相談記録をナレッジとして共有</source>
        <translation>Share this engagement as knowledge</translation>
    </message>
    <message>
        <location line="+70"/>
        <source>添付ファイル</source>
        <translation>Attached files</translation>
    </message>
</context>
<context>
    <name>EngagementsPanel</name>
    <message>
        <location filename="../../dxdesk/ui/engagements_panel.py" line="-13"/>
        <source>合同の場</source>
        <translation>Group session</translation>
    </message>
    <message>
        <location line="+41"/>
        <source>相談記録の一覧</source>
        <translation>List of engagements</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>新規（Ctrl+N）</source>
        <translation>New (Ctrl+N)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>相談記録を追加</source>
        <translation>Add engagement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>相談記録を削除</source>
        <translation>Delete engagement</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>選んだ合同の場</source>
        <translation>Chosen group session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合同の場タブで開く</source>
        <translation>Open in the Group sessions tab</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>選んだ合同の場を合同の場タブで開く</source>
        <translation>Open the chosen group session in the Group sessions tab</translation>
    </message>
    <message>
        <location line="+96"/>
        <source>合同の場（{type}）
{date}&#x3000;{title}
状態: {status}&#x3000;参加 {count} 市町村・{people} 名

合同の場の記録は、すべての参加市町村に共通です。「合同の場」タブで編集します。</source>
        <translation>Group session ({type})
{date}  {title}
Status: {status}  {count} municipalities, {people} people taking part

A group session has one record shared by every municipality taking part. Edit it on the Group sessions tab.</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>{date} の相談記録「{title}」</source>
        <translation>engagement of {date} “{title}”</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>件名なし</source>
        <translation>untitled</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>相談記録の削除</source>
        <translation>Delete engagement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what}を、そのヒアリングとフォローアップごと削除しますか？</source>
        <translation>Delete {what} with its interview notes and follow-ups?</translation>
    </message>
</context>
<context>
    <name>EventEditor</name>
    <message>
        <location filename="../../dxdesk/ui/event_editor.py" line="+166"/>
        <source>名称（例: 地域別よろず相談（海草））</source>
        <translation>Name (e.g. Regional consultation (Kaiso))</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+27"/>
        <source>開始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="-26"/>
        <location line="+27"/>
        <source>終了</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="-25"/>
        <source>会場（オンラインなら空欄でも可）</source>
        <translation>Venue (may be left empty if online)</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+36"/>
        <source>概要</source>
        <translation>Summary</translation>
    </message>
    <message>
        <location line="-35"/>
        <location line="+36"/>
        <source>メモ</source>
        <translation>Notes</translation>
    </message>
    <message>
        <location line="-29"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>種別</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>形式</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>振興局</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>テーマ</source>
        <translation>Theme</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>参加市町村</source>
        <translation>Municipalities taking part</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参加人数</source>
        <translation>People taking part</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+11"/>
        <source>合同の場の内容</source>
        <translation>Group session details</translation>
    </message>
    <message>
        <location line="-6"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>参加</source>
        <translation>Attendance</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>フォロー</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>参加市町村と人数</source>
        <translation>Participants and people</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>フォローアップ</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>フォロー（{count}）</source>
        <translation>Follow-ups ({count})</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>{names} にはこの合同の場のフォローアップがありますが、参加市町村にありません。参加に戻すか、「フォロー」タブでフォローアップの市町村を参加市町村に変えるか削除してください。</source>
        <translation>{names} have follow-ups of this group session but are no longer participants. Tick them again, or in the Follow-ups tab move those follow-ups to a participant or delete them.</translation>
    </message>
    <message>
        <location line="-49"/>
        <source>資料</source>
        <translation>Files</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>資料（ファイル）</source>
        <translation>Files</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>参加（{count}）</source>
        <translation>Attendance ({count})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>資料（{count}）</source>
        <translation>Files ({count})</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>時間</source>
        <translation>Time</translation>
    </message>
</context>
<context>
    <name>EventFollowUps</name>
    <message>
        <location filename="../../dxdesk/ui/event_follow_ups.py" line="-11"/>
        <source>何をするか</source>
        <translation>What to do</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>誰が</source>
        <translation>Who</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限あり</source>
        <translation>Due date</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>内容</source>
        <translation>Details</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>担当</source>
        <translation>Owner</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>期限</source>
        <translation>Due</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>フォローアップの追加について</source>
        <translation>About adding follow-ups</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>フォローアップ「{what}」</source>
        <translation>follow-up “{what}”</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>フォローアップは参加市町村ごとに記録します。先に「参加市町村」で選んでください。</source>
        <translation>Follow-ups are recorded per municipality taking part. First choose the municipalities under “Municipalities taking part”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>担当の市町村が参加していないため、フォローアップを追加できません（フォローアップは担当の市町村についてだけ記録できます）。</source>
        <translation>None of your municipalities takes part, so no follow-up can be added (follow-ups can be recorded only for your own municipalities).</translation>
    </message>
</context>
<context>
    <name>EventsPanel</name>
    <message>
        <location filename="../../dxdesk/ui/events_panel.py" line="+25"/>
        <source>合同の場の一覧</source>
        <translation>List of group sessions</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>年度で絞り込む</source>
        <translation>Filter by fiscal year</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>種別で絞り込む</source>
        <translation>Filter by type</translation>
    </message>
    <message>
        <location line="+119"/>
        <source>すべての種別</source>
        <translation>All types</translation>
    </message>
    <message>
        <location line="-116"/>
        <source>状態で絞り込む</source>
        <translation>Filter by status</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>すべての状態</source>
        <translation>All statuses</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合同の場を追加</source>
        <translation>Add group session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合同の場を削除</source>
        <translation>Delete group session</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>すべての年度</source>
        <translation>All fiscal years</translation>
    </message>
    <message>
        <location line="+81"/>
        <source>{type}（{month}月）</source>
        <translation>{type} (month {month})</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>{date} の合同の場「{title}」</source>
        <translation>group session of {date} “{title}”</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>合同の場の削除</source>
        <translation>Delete group session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{what}を、そのフォローアップと資料ごと削除しますか？</source>
        <translation>Delete {what} with its follow-ups and files?</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <location filename="../../dxdesk/ui/export_actions.py" line="+31"/>
        <source>相談記録</source>
        <translation>Consultations</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ヒアリング</source>
        <translation>Interviews</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>フォローアップ</source>
        <translation>Follow-ups</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>連絡先</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>アセスメント</source>
        <translation>Assessments</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ナレッジ</source>
        <translation>Knowledge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合同の場</source>
        <translation>Group sessions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>定例の間隔</source>
        <translation>Regular intervals</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度計画</source>
        <translation>Annual plans</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添付ファイルの一覧</source>
        <translation>List of attached files</translation>
    </message>
</context>
<context>
    <name>ExportActions</name>
    <message>
        <location line="+26"/>
        <source>すべての記録（Excel ブック）</source>
        <translation>All records (Excel workbook)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{kind}（CSV）</source>
        <translation>{kind} (CSV)</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+12"/>
        <location line="+23"/>
        <source>書き出す</source>
        <translation>Export</translation>
    </message>
    <message>
        <location line="-34"/>
        <source>書き出すもの:</source>
        <translation>What to export:</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>書き出しています…</source>
        <translation>Exporting…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>Excel に書き出しました: {path}（{rows} 件）</source>
        <translation>Exported to Excel: {path} ({rows} rows)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>CSV に書き出しました: {path}（{rows} 件）</source>
        <translation>Exported to CSV: {path} ({rows} rows)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>書き出せませんでした: {reason}</source>
        <translation>Could not export: {reason}</translation>
    </message>
</context>
<context>
    <name>FileBudgetDialog</name>
    <message>
        <location filename="../../dxdesk/ui/file_budget_dialog.py" line="+32"/>
        <source>ファイルの事前ダウンロード</source>
        <translation>Files Downloaded Ahead</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>同期のたびに、担当市町村の記録と県内共通の記録に添付されたファイルを、新しいものから順にこの端末へ受け取っておきます（オフラインでも開けます）。範囲外のファイルは、開いたときに受け取ります。
0 にすると、前もっては受け取りません。</source>
        <translation>At each sync, the files attached to your municipalities&apos; records and to shared records come to this laptop, newest first, so they open offline. Other files come when you open them.
0 fetches nothing ahead.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source> か月</source>
        <translation> months</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>対象の期間（か月）</source>
        <translation>Period (months)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>合計の上限（MB）</source>
        <translation>Total limit (MB)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>直近の期間(&amp;P):</source>
        <translation>Last &amp;period:</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合計の上限(&amp;L):</source>
        <translation>Total &amp;limit:</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>今の設定を読めませんでした: {error}
閉じて、もう一度開いてください。続くときは管理者に連絡してください。</source>
        <translation>Could not read the current setting: {error}
Close this and open it again. If it keeps happening, contact your administrator.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>保存できませんでした: {error}</source>
        <translation>Could not save: {error}</translation>
    </message>
</context>
<context>
    <name>FiscalYearBox</name>
    <message>
        <location filename="../../dxdesk/ui/article_editor.py" line="-65"/>
        <source>（指定なし）</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>FollowUpsPanel</name>
    <message>
        <location filename="../../dxdesk/ui/follow_ups_panel.py" line="-7"/>
        <source>（期限なし）</source>
        <translation>(no due date)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>未完了のフォローアップ</source>
        <translation>Open follow-ups</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>絞り込み（市町村・内容・担当）</source>
        <translation>Filter (municipality, details, owner)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>フォローアップの絞り込み</source>
        <translation>Filter follow-ups</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>フォローアップを選ぶと、その添付ファイルが表示されます。</source>
        <translation>Choose a follow-up to see its attached files.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>選んだフォローアップの添付ファイル</source>
        <translation>Files of the chosen follow-up</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>フォローアップ「{what}」</source>
        <translation>follow-up “{what}”</translation>
    </message>
    <message>
        <location line="+43"/>
        <source>未完了 {count} 件（うち期限切れ {overdue} 件、{today} 時点）</source>
        <translation>{count} open ({overdue} overdue, as of {today})</translation>
    </message>
</context>
<context>
    <name>KnowWhoPanel</name>
    <message>
        <location filename="../../dxdesk/ui/know_who_panel.py" line="+18"/>
        <source>詳しい人の一覧</source>
        <translation>People who know</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>テーマで絞り込み</source>
        <translation>Filter by theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+3"/>
        <source>すべて</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>市町村で絞り込み</source>
        <translation>Filter by municipality</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>絞り込み（氏名・所属・出典など）</source>
        <translation>Filter (name, organisation, source…)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>詳しい人の絞り込み</source>
        <translation>Filter people who know</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>テーマ</source>
        <translation>Theme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+54"/>
        <source>読み込めませんでした: {error}</source>
        <translation>Could not load: {error}</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>{count} 人</source>
        <translation>{count} people</translation>
    </message>
</context>
<context>
    <name>KnowledgeActions</name>
    <message>
        <location filename="../../dxdesk/ui/knowledge_actions.py" line="+71"/>
        <source>検索の索引を更新しています…</source>
        <translation>Updating the search index…</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>検索(&amp;S)…</source>
        <translation>&amp;Search…</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>記録を開けません: {0}</source>
        <translation>Cannot open the record: {0}</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>ナレッジとして公開しました（次の同期で共有されます）</source>
        <translation>Published as knowledge (shared at the next sync)</translation>
    </message>
</context>
<context>
    <name>KnowledgePanel</name>
    <message>
        <location filename="../../dxdesk/ui/knowledge_panel.py" line="+5"/>
        <source>ナレッジの一覧</source>
        <translation>Knowledge articles</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>絞り込み（題名・市町村・テーマ…）</source>
        <translation>Filter (title, municipality, theme…)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ナレッジの絞り込み</source>
        <translation>Filter knowledge articles</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ナレッジを追加</source>
        <translation>Add an article</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除</source>
        <translation>Delete</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ナレッジを削除</source>
        <translation>Delete the article</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>県全体</source>
        <translation>Prefecture-wide</translation>
    </message>
    <message>
        <location line="+132"/>
        <source>ナレッジ「{title}」</source>
        <translation>article &quot;{title}&quot;</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ナレッジの削除</source>
        <translation>Delete article</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>{what}を削除しますか？</source>
        <translation>Delete {what}?</translation>
    </message>
</context>
<context>
    <name>LoginDialog</name>
    <message>
        <location filename="../../dxdesk/ui/sync_login.py" line="+61"/>
        <source>同期サーバーにログイン</source>
        <translation>Log in to the sync server</translation>
    </message>
    <message>
        <location line="+4"/>
        <location line="+23"/>
        <source>サーバーの URL</source>
        <translation>Server URL</translation>
    </message>
    <message>
        <location line="-21"/>
        <location line="+22"/>
        <source>利用者名</source>
        <translation>User name</translation>
    </message>
    <message>
        <location line="-21"/>
        <location line="+22"/>
        <source>パスワード</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="-21"/>
        <source>（任意）サーバーの証明書を確認する CA</source>
        <translation>(optional) CA that checks the server&apos;s certificate</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+21"/>
        <source>CA ファイル</source>
        <translation>CA file</translation>
    </message>
    <message>
        <location line="-20"/>
        <source>参照…</source>
        <translation>Browse…</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+36"/>
        <source>CA ファイルを選ぶ</source>
        <translation>Choose the CA file</translation>
    </message>
    <message>
        <location line="-30"/>
        <source>ログインの結果</source>
        <translation>Login result</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ログイン</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>証明書 (*.pem *.crt *.cer);;すべてのファイル (*)</source>
        <translation>Certificates (*.pem *.crt *.cer);;All files (*)</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>サーバーの URL を入力してください</source>
        <translation>Enter the server URL</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>利用者名を入力してください</source>
        <translation>Enter your user name</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>パスワードを入力してください</source>
        <translation>Enter your password</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{server} に接続しています…</source>
        <translation>Connecting to {server}…</translation>
    </message>
</context>
<context>
    <name>LongTask</name>
    <message>
        <location filename="../../dxdesk/ui/long_task.py" line="+44"/>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../../dxdesk/ui/municipality_list.py" line="-14"/>
        <source>期限超過</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/main_window.py" line="+97"/>
        <source>市町村を絞り込む（Ctrl+L）</source>
        <translation>Filter municipalities (Ctrl+L)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市町村の絞り込み</source>
        <translation>Filter municipalities</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>担当市町村</source>
        <translation>Your municipalities</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>概要</source>
        <translation>Overview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>相談記録</source>
        <translation>Engagements</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>アセスメント</source>
        <translation>Assessment</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>調査</source>
        <translation>Survey</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>フォローアップ（全市町村）</source>
        <translation>Follow-ups (all)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>合同の場</source>
        <translation>Group sessions</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>分析</source>
        <translation>Analysis</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ナレッジ</source>
        <translation>Knowledge</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ノウフー</source>
        <translation>Know-who</translation>
    </message>
    <message>
        <location line="+168"/>
        <source>ファイル(&amp;F)</source>
        <translation>&amp;File</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>バックアップを作成(&amp;B)…</source>
        <translation>&amp;Back Up…</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>回答票を作成(&amp;T)…</source>
        <translation>Make the answer shee&amp;t…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>調査の回答を取り込む(&amp;I)…</source>
        <translation>&amp;Import survey answers…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>記録を取り込む(&amp;M)…</source>
        <translation>I&amp;mport records…</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>定例よろず相談を予定する(&amp;N)…</source>
        <translation>Pla&amp;n regular consultations…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>カレンダーに書き出す(&amp;C)…</source>
        <translation>Export to &amp;calendar…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>書き出す(&amp;E)…</source>
        <translation>&amp;Export…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>終了(&amp;X)</source>
        <translation>E&amp;xit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>編集(&amp;E)</source>
        <translation>&amp;Edit</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>相談記録を追加</source>
        <translation>New Engagement</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>市町村を絞り込む</source>
        <translation>Filter Municipalities</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>言語 / Language</source>
        <translation>Language / 言語</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>表示言語は次回の起動から変わります / The language changes at next start</source>
        <translation>The language changes at next start / 表示言語は次回の起動から変わります</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>バックアップの保存先</source>
        <translation>Save Backup As</translation>
    </message>
    <message>
        <location line="+12"/>
        <location line="+10"/>
        <source>バックアップ</source>
        <translation>Backup</translation>
    </message>
    <message>
        <location line="-9"/>
        <source>{name} にコピーしています…</source>
        <translation>Copying to {name}…</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>バックアップしました: {path}</source>
        <translation>Backed up to {path}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>バックアップを中止しました</source>
        <translation>Backup cancelled</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>{what}を削除しました（Ctrl+Z で元に戻せます）</source>
        <translation>Deleted {what} (Ctrl+Z to undo)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{what}を元に戻しました</source>
        <translation>Restored {what}</translation>
    </message>
</context>
<context>
    <name>MappingPage</name>
    <message>
        <location filename="../../dxdesk/ui/records_mapping_page.py" line="+58"/>
        <location line="+38"/>
        <source>列の割り当て</source>
        <translation>Columns</translation>
    </message>
    <message>
        <location line="-35"/>
        <source>表の各列をどの項目として取り込むか確かめ、違っていれば「項目」で選び直してください。</source>
        <translation>Check which field each column is imported as, and choose another “Field” where it is wrong.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>シート(&amp;S)</source>
        <translation>&amp;Sheet</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>取り込むのは選んだシートだけです。ほかのシートは、取り込んだあとでもう一度このウィザードで選べます。</source>
        <translation>Only the chosen sheet is imported. Choose another sheet in this wizard again after importing.</translation>
    </message>
    <message>
        <location line="+57"/>
        <source>{letter}列の項目</source>
        <translation>Field of column {letter}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{file}: シート「{sheet}」の {row} 行目を見出しとして読みました（{count} 列）。</source>
        <translation>{file}: row {row} of sheet “{sheet}” was read as the header ({count} columns).</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{field}の列がないため、すべて「{value}」とします。</source>
        <translation>No column holds {field}: every row gets “{value}”.</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>見出しから推測して割り当てた列が {count} 列あります（色の付いた行）。合っているか確かめてください。</source>
        <translation>{count} columns were mapped by guessing from their headers (the tinted rows). Check that they are right.</translation>
    </message>
    <message>
        <location line="+29"/>
        <source>使わない</source>
        <translation>Not used</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>必ず要る項目「{fields}」の列がありません。その列の「項目」で選んでください。</source>
        <translation>No column holds the required field “{fields}”. Choose it as the “Field” of its column.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>項目「{field}」が {columns} 列に割り当てられています。どれか一つにしてください。</source>
        <translation>The field “{field}” is mapped to columns {columns}. Keep it on one of them.</translation>
    </message>
</context>
<context>
    <name>MunicipalityBox</name>
    <message>
        <location filename="../../dxdesk/ui/article_editor.py" line="+22"/>
        <source>（県全体）</source>
        <translation>(prefecture-wide)</translation>
    </message>
</context>
<context>
    <name>OverviewPanel</name>
    <message>
        <location filename="../../dxdesk/ui/overview_panel.py" line="+65"/>
        <source>プロフィール</source>
        <translation>Profile</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>名称</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>よみ</source>
        <translation>Reading</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>区分</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>振興局</source>
        <translation>Region</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>人口（2020年）</source>
        <translation>Population (2020)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>連絡先（ノウフー）</source>
        <translation>Contacts (know-who)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>連絡先</source>
        <translation>Contacts</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+2"/>
        <source>年度別の支援分類</source>
        <translation>Support level by fiscal year</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>定例よろず相談</source>
        <translation>Regular consultations</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>変更…</source>
        <translation>Change…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>定例の間隔を変更</source>
        <translation>Change the consultation interval</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>担当アドバイザー</source>
        <translation>Advisors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>定例の間隔</source>
        <translation>Interval</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>最終実施</source>
        <translation>Last held</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>次回予定</source>
        <translation>Next planned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>状態</source>
        <translation>Status</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>なし</source>
        <translation>None</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>未同期（サーバーと同期すると表示されます）</source>
        <translation>Not synced yet (shown after a sync with the server)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>なし（サーバーで割り当てられていません）</source>
        <translation>None (none assigned on the server)</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>期限超過</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>予定日を過ぎた予定 {count} 件（実施・中止を記録してください）</source>
        <translation>{count} planned past their date (record them as held or cancelled)</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>期限 {due}</source>
        <translation>due {due}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>実施も予定もありません</source>
        <translation>none held or planned</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>—（間隔が定められていません）</source>
        <translation>— (no interval set)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>間隔内（期限 {due}）</source>
        <translation>Within the interval (due {due})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>間隔内</source>
        <translation>Within the interval</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>不明</source>
        <translation>Unknown</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{population} 人</source>
        <translation>{population}</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../../dxdesk/ui/backup_passphrase_dialog.py" line="+33"/>
        <source>バックアップの合言葉</source>
        <translation>Backup passphrase</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>バックアップを暗号化する合言葉を決めてください（{n} 文字以上）。
別の端末で復元するときに必要です。決めるまで自動バックアップは止まっています。</source>
        <translation>Choose the passphrase that encrypts backups ({n} characters or more).
You need it to restore on another computer. Automatic backups wait until it is set.</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+5"/>
        <source>合言葉</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>合言葉（確認）</source>
        <translation>Passphrase (again)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>もう一度</source>
        <translation>Again</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>回復コード</source>
        <translation>Recovery code</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>控えました</source>
        <translation>I have written it down</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>決める</source>
        <translation>Set</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>あとで</source>
        <translation>Later</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>2つの合言葉が一致しません</source>
        <translation>The two passphrases differ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>合言葉は {n} 文字以上にしてください</source>
        <translation>The passphrase needs {n} characters or more</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>合言葉を決めました。合言葉を忘れたときは次の回復コードで復元できます。今だけ表示します。紙に書いて別に保管してください。</source>
        <translation>The passphrase is set. If you forget it, this recovery code restores a backup. It is shown only now: write it on paper and keep it apart.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../../dxdesk/ui/sync_login.py" line="+45"/>
        <source>同期のパスワード</source>
        <translation>Password for syncing</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>この端末にはログイン情報を保存できないため、同期のたびにパスワードを入力してください。</source>
        <translation>This computer cannot keep your login, so enter your password at each sync.</translation>
    </message>
    <message>
        <location line="+7"/>
        <location line="+3"/>
        <source>パスワード</source>
        <translation>Password</translation>
    </message>
    <message>
        <location line="-1"/>
        <source>同期先</source>
        <translation>Sync server</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>同期</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>パスワードを入力してください</source>
        <translation>Enter your password</translation>
    </message>
</context>
<context>
    <name>PeopleEditor</name>
    <message>
        <location filename="../../dxdesk/ui/people_editor.py" line="+66"/>
        <source>氏名</source>
        <translation>Name</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>所属</source>
        <translation>Organisation</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>役割</source>
        <translation>Role</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>連絡先</source>
        <translation>Contact</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>詳しい人の一覧</source>
        <translation>People who know</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>人を追加</source>
        <translation>Add a person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>選んだ人を外す</source>
        <translation>Remove the selected person</translation>
    </message>
</context>
<context>
    <name>PlanConsultationsDialog</name>
    <message>
        <location filename="../../dxdesk/ui/plan_consultations_dialog.py" line="+106"/>
        <source>定例よろず相談を予定する</source>
        <translation>Plan regular consultations</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>担当の市町村ごとに、次の定例よろず相談を予定します。日付・時刻・形式・場所は前回に合わせた案です（定例の間隔があればその間隔で）。予定を作る行にチェックを入れ、必要なら直してから「予定を作成」を押してください。次の予定が既にある市町村はチェックを外してあります。</source>
        <translation>Plans the next regular consultation for each of your municipalities. The date, time, mode and place are suggested from the last one (at the consultation interval, if one is set). Tick the rows to plan, correct them if needed, then press “Create plans”. Municipalities that already have a next one planned are left unticked.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>予定する定例よろず相談</source>
        <translation>Regular consultations to plan</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>予定</source>
        <translation>Plan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>日付</source>
        <translation>Date</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>開始</source>
        <translation>Start</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>終了</source>
        <translation>End</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>形式</source>
        <translation>Mode</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>場所</source>
        <translation>Place</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>備考</source>
        <translation>Remarks</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>読み込み中…</source>
        <translation>Loading…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>予定を作成</source>
        <translation>Create plans</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>担当の市町村がありません。同期すると担当の市町村が表示されます。</source>
        <translation>You have no municipalities assigned. Sync to see your municipalities.</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{name}を予定する</source>
        <translation>Plan {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{name}の開始</source>
        <translation>Start for {name}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{name}の終了</source>
        <translation>End for {name}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{name}の場所</source>
        <translation>Place for {name}</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>予定あり（{date}）</source>
        <translation>Already planned ({date})</translation>
    </message>
    <message>
        <location line="+30"/>
        <source>予定を作る市町村にチェックを入れてください。</source>
        <translation>Tick the municipalities to plan.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>予定を作成しています…</source>
        <translation>Creating the plans…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>定例よろず相談の予定を {count} 件作成しました。</source>
        <translation>Planned {count} regular consultations.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>予定を作成できませんでした: {reason}</source>
        <translation>Could not create the plans: {reason}</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{count} 行に問題があるため、予定は 1 件も作成していません。備考欄を見て直してください。</source>
        <translation>{count} rows have problems, so nothing was planned. See the Remarks column and correct them.</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>担当の市町村を読み込めませんでした: {reason}</source>
        <translation>Could not load your municipalities: {reason}</translation>
    </message>
</context>
<context>
    <name>PreviewPage</name>
    <message>
        <location filename="../../dxdesk/ui/survey_preview.py" line="+71"/>
        <source>プレビュー</source>
        <translation>Preview</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取り込む前に、列の対応と変わる内容を確かめてください。</source>
        <translation>Before importing, check how the columns are read and what will change.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>読み込み中</source>
        <translation>Reading</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>列の対応</source>
        <translation>Columns</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>変わる内容</source>
        <translation>Changes</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>エラー</source>
        <translation>Errors</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>エラーのある行を除外</source>
        <translation>Exclude rows with errors</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>{file}: シート「{sheet}」の {row} 行目が見出しです。</source>
        <translation>{file}: the header is row {row} of sheet &quot;{sheet}&quot;.</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>（選んでください）</source>
        <translation>(choose)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{letter}列「{header}」→ {question}</source>
        <translation>Column {letter} &quot;{header}&quot; → {question}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{letter}列「{header}」→ 未割り当て</source>
        <translation>Column {letter} &quot;{header}&quot; → not assigned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>（見出しなし）</source>
        <translation>(no heading)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>要確認: {columns}。設問を選ぶか「取り込まない」を選んでください（決めるまで取り込めません）。</source>
        <translation>To confirm: {columns}. Choose a question or &quot;Not imported&quot; (nothing can be imported until you decide).</translation>
    </message>
    <message>
        <location line="+82"/>
        <source>列の対応（設問 {count}）</source>
        <translation>Columns ({count} questions)</translation>
    </message>
    <message>
        <location line="-106"/>
        <source>{letter}列の取り込み先</source>
        <translation>Column {letter} imported as</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>取り込まない</source>
        <translation>Not imported</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>このファイルは {when} に取り込み済みです。取り込んでも何も変わりません。</source>
        <translation>This file was imported at {when}. Importing it again changes nothing.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>回答のない {count} 行は取り込みません。</source>
        <translation>{count} rows without answers are not imported.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>除外した行: {rows}</source>
        <translation>Excluded rows: {rows}</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>エラーが {count} 件あります。直したファイルを選び直すか、エラーのある行を除外してください。</source>
        <translation>There are {count} errors. Choose a corrected file, or exclude the rows with errors.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>項目 {item} が {columns} 列に割り当てられています。どれか一つにしてください。</source>
        <translation>Item {item} is assigned to columns {columns}. Keep only one.</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>変わる内容（{count}）</source>
        <translation>Changes ({count})</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>エラー（{count}）</source>
        <translation>Errors ({count})</translation>
    </message>
</context>
<context>
    <name>ProgrammePanel</name>
    <message>
        <location filename="../../dxdesk/ui/programme_panel.py" line="+45"/>
        <source>計画と実績</source>
        <translation>Plan and results</translation>
    </message>
    <message>
        <location line="+9"/>
        <location line="+5"/>
        <source>計画と実績の年度</source>
        <translation>Fiscal year of the plan and results</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>年度(&amp;F)</source>
        <translation>&amp;Fiscal year</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>年度計画を編集…</source>
        <translation>Edit annual plan…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度計画を編集</source>
        <translation>Edit the annual plan</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>地域別・テーマ別などの回数と国の制度の利用件数の計画を設定します</source>
        <translation>Sets the planned number of regional, theme and other sessions and of national scheme uses</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>年度計画</source>
        <translation>Annual plan</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>国の制度の利用</source>
        <translation>Use of national schemes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>合同の場の参加</source>
        <translation>Group session attendance</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>計画と実績の表</source>
        <translation>Plan and results table</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>合同の場</source>
        <translation>Group sessions</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>地域別（振興局ごと）</source>
        <translation>Regional (by region)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>テーマ別（テーマごと）</source>
        <translation>By theme (per theme)</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>国の制度</source>
        <translation>National schemes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>定例（市町村ごと）</source>
        <translation>Regular (by municipality)</translation>
    </message>
    <message>
        <location line="+107"/>
        <source>{year} の年度計画はまだありません。「年度計画を編集…」で回数を設定すると実施と並べて示します。</source>
        <translation>There is no annual plan for {year} yet. Set the numbers with “Edit annual plan…” to see them beside what was held.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{year} の年度計画はまだありません（計画は事務局が設定し、同期で届きます）。</source>
        <translation>There is no annual plan for {year} yet (the secretariat sets it; it arrives with a sync).</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>「実施 / 計画」は実施した回数と {year} の年度計画の回数です（予定・中止は実施に数えません）。地域別は振興局ごと、テーマ別はテーマごとの計画です。</source>
        <translation>“Held / plan” is the number held and the number in the {year} annual plan (planned and cancelled ones are not counted as held). Regional plans are per region, theme plans per theme.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source> 計画のメモ: {notes}</source>
        <translation> Plan notes: {notes}</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>（計画は事務局が設定します）</source>
        <translation>(the secretariat sets the plan)</translation>
    </message>
</context>
<context>
    <name>ProgrammePlanDialog</name>
    <message>
        <location filename="../../dxdesk/ui/programme_plan_dialog.py" line="+45"/>
        <source>年度計画 {year}</source>
        <translation>Annual plan {year}</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{year} に予定する回数を入力してください。地域別は振興局ごと、テーマ別はテーマごとの回数です。「計画なし」の項目は実施の回数だけを示します。</source>
        <translation>Enter how many to hold in {year}. Regional numbers are per region, theme numbers per theme. Items left at “No plan” show only the number held.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>年度計画の説明</source>
        <translation>About the annual plan</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>計画なし</source>
        <translation>No plan</translation>
    </message>
    <message>
        <location line="+1"/>
        <source> 回</source>
        <translation> times</translation>
    </message>
    <message>
        <location line="+11"/>
        <source>計画の回数</source>
        <translation>Planned number</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>計画のメモ</source>
        <translation>Plan notes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>メモ（例: R7 は広域連携を重点に）</source>
        <translation>Notes (e.g. R7: focus on cross-municipal cooperation)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>年度計画の保存の結果</source>
        <translation>Annual plan save result</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>年度計画を保存できませんでした: {reason}</source>
        <translation>Could not save the annual plan: {reason}</translation>
    </message>
</context>
<context>
    <name>RecordStatus</name>
    <message>
        <location filename="../../dxdesk/ui/record_status.py" line="+33"/>
        <location line="+11"/>
        <source>期限超過</source>
        <translation>Overdue</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{status}（{late}）</source>
        <translation>{status} ({late})</translation>
    </message>
</context>
<context>
    <name>RecordsImport</name>
    <message>
        <location filename="../../dxdesk/ui/records_mapping_page.py" line="-219"/>
        <source>推測</source>
        <translation>Guess</translation>
    </message>
    <message>
        <location line="+36"/>
        <source>（見出しなし）</source>
        <translation>(no header)</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/records_plan_text.py" line="+20"/>
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>更新</source>
        <translation>Update</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>変更なし</source>
        <translation>Unchanged</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除済み</source>
        <translation>Deleted</translation>
    </message>
    <message>
        <location line="+47"/>
        <source>合計</source>
        <translation>Total</translation>
    </message>
    <message>
        <location line="+63"/>
        <source>{kind}を新規 {created} 件・更新 {updated} 件</source>
        <translation>{created} new and {updated} updated {kind}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{kind}を新規 {created} 件</source>
        <translation>{created} new {kind}</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{kind}を更新 {updated} 件</source>
        <translation>{updated} updated {kind}</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>シート「{sheet}」を取り込むと、{writes}書き込みます（変更なし {same} 件）</source>
        <translation>Importing sheet “{sheet}” writes {writes} ({same} unchanged)</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>（削除済みの {count} 件は取り込みません）</source>
        <translation> ({count} deleted here are not brought back)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>。まだ何も書き込んでいません。</source>
        <translation>. Nothing has been written yet.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>アプリの内容を残す行: {rows}（この PC で取り込んだ記録ではないため、ファイルの値で上書きしません）</source>
        <translation>Rows whose app values are kept: {rows} (records not imported on this PC are not overwritten by the file)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>除いた行（取り込みません）: {rows}</source>
        <translation>Rows left out (not imported): {rows}</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/records_wizard_pages.py" line="-95"/>
        <source>処理中</source>
        <translation>Working</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>県全体</source>
        <translation>Prefecture-wide</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/records_wizard.py" line="+36"/>
        <source>シート「{sheet}」から書き込んだ変更はありません（どの記録も取り込み済みです）。</source>
        <translation>Nothing was written from sheet “{sheet}” (every record was already imported).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>シート「{sheet}」から{writes}書き込みました。</source>
        <translation>Wrote {writes} from sheet “{sheet}”.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{place}: {writes}</source>
        <translation>{place}: {writes}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ほかのシート（{sheets}）は、もう一度「記録を取り込む」で同じファイルを選び、「シート」で選んで取り込めます。</source>
        <translation>To import the other sheets ({sheets}), open “Import records” again, choose the same file and pick the sheet.</translation>
    </message>
</context>
<context>
    <name>RecordsImportWizard</name>
    <message>
        <location line="+14"/>
        <source>記録を取り込む</source>
        <translation>Import records</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>完了</source>
        <translation>Done</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取り込みが終わりました。</source>
        <translation>The import is finished.</translation>
    </message>
</context>
<context>
    <name>Refusal</name>
    <message>
        <location filename="../../dxdesk/ui/refusal_text.py" line="+34"/>
        <source>{label}: {reason}</source>
        <translation>{label}: {reason}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>ファイル {path} を読み書きできません（{reason}）</source>
        <translation>Cannot read or write the file {path} ({reason})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>ファイルを読み書きできません（{reason}）</source>
        <translation>Cannot read or write the file ({reason})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>予期しないエラーです（{error}）</source>
        <translation>Unexpected error ({error})</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>ほかの処理がデータベースを使っています。しばらくしてからもう一度お試しください</source>
        <translation>Another task is using the database. Try again in a moment</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>データベースに書き込めません（権限や空き容量を確認してください）</source>
        <translation>The database cannot be written (check permissions and free disk space)</translation>
    </message>
</context>
<context>
    <name>RegionBox</name>
    <message>
        <location filename="../../dxdesk/ui/event_editor.py" line="-159"/>
        <source>（指定なし）</source>
        <translation>(none)</translation>
    </message>
</context>
<context>
    <name>ReportActions</name>
    <message>
        <location filename="../../dxdesk/ui/report_actions.py" line="+84"/>
        <source>報告の年度</source>
        <translation>Fiscal year of the reports</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+24"/>
        <source>印刷プレビュー(&amp;P)…</source>
        <translation>Print &amp;preview…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>KPI 報告…</source>
        <translation>KPI report…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>全市町村のアセスメント報告…</source>
        <translation>Assessment reports for every municipality…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>印刷プレビュー: 相談記録</source>
        <translation>Print preview: engagement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>配布用</source>
        <translation>For distribution</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>内部用</source>
        <translation>Internal</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>配布用: 市町村へお渡しする版（メモ・ヒアリング・同期の状態を含みません）
内部用: すべてを含み、各ページに「取扱注意」が付きます</source>
        <translation>For distribution: the copy to hand to the municipality (without notes, interviews or sync state)
Internal: everything, with &quot;Confidential&quot; on every page</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>印刷する相談記録を一覧から選んでください</source>
        <translation>Choose the engagement to print from the list</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>印刷プレビュー: アセスメント報告</source>
        <translation>Print preview: assessment report</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>印刷するアセスメントを選んでください</source>
        <translation>Choose the assessment to print</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>印刷するには、相談記録タブで相談記録を、またはアセスメントタブでアセスメントを選んでください</source>
        <translation>To print, choose an engagement on the Engagements tab or an assessment on the Assessment tab</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>印刷プレビュー: KPI 報告</source>
        <translation>Print preview: KPI report</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>アセスメント報告の保存先フォルダ</source>
        <translation>Folder for the assessment reports</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>アセスメント報告</source>
        <translation>Assessment reports</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{year} のアセスメント報告を作成しています…</source>
        <translation>Making the {year} assessment reports…</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{year} のアセスメント報告を {written} 件作成しました（アセスメントのない {skipped} 市町村は除外）: {folder}</source>
        <translation>Made {written} assessment reports for {year} ({skipped} municipalities without an assessment left out): {folder}</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>アセスメント報告の作成を中止しました（作成済みの報告は残ります）</source>
        <translation>Assessment reports cancelled (the reports already made are kept)</translation>
    </message>
</context>
<context>
    <name>ReportPreview</name>
    <message>
        <location filename="../../dxdesk/ui/report_preview.py" line="+93"/>
        <source>報告のページ</source>
        <translation>Report pages</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>取扱注意</source>
        <translation>Confidential</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>各ページに「取扱注意」の印を付けます</source>
        <translation>Marks every page 取扱注意 (confidential)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>印刷する版</source>
        <translation>Edition to print</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>印刷…</source>
        <translation>Print…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存…</source>
        <translation>Save…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+35"/>
        <source>作成しています…</source>
        <translation>Making…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>作成した PDF を開けません</source>
        <translation>Cannot open the PDF that was made</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>{count} ページ</source>
        <translation>{count} pages</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>報告を作成できませんでした: {reason}</source>
        <translation>Could not make the report: {reason}</translation>
    </message>
    <message>
        <location line="+20"/>
        <location line="+13"/>
        <source>印刷</source>
        <translation>Print</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>プリンターを開けませんでした</source>
        <translation>Could not open the printer</translation>
    </message>
    <message>
        <location line="+32"/>
        <source>PDF の保存先</source>
        <translation>Save the PDF as</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{path} に保存できませんでした: {reason}</source>
        <translation>Could not save to {path}: {reason}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>保存</source>
        <translation>Save</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>保存しました: {path}</source>
        <translation>Saved: {path}</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../../dxdesk/ui/backup_restore_dialog.py" line="+17"/>
        <source>バックアップから復元</source>
        <translation>Restore from Backup</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>戻す時点を選んでください。今の記録は別の名前でデータフォルダに残します。
復元のあと同期すると、サーバーにあるそれより新しい記録も戻ります。</source>
        <translation>Choose the point to go back to. The current records are kept in the data folder under another name.
Syncing after the restore brings back the newer records on the server too.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>バックアップの一覧</source>
        <translation>Backups</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>復元</source>
        <translation>Restore</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ScoreGrid</name>
    <message>
        <location filename="../../dxdesk/ui/score_grid.py" line="+23"/>
        <location line="+111"/>
        <source>前年度なし</source>
        <translation>No last year</translation>
    </message>
    <message>
        <location line="-108"/>
        <source>前年度: 未回答</source>
        <translation>Last year: not answered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>前年度: {value} {label}</source>
        <translation>Last year: {value} {label}</translation>
    </message>
    <message>
        <location line="+11"/>
        <location line="+54"/>
        <source>未回答</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <location line="-19"/>
        <source>Tab で次の項目へ。数字キー（0〜3）で回答、Delete で未回答に戻します。</source>
        <translation>Tab moves to the next item; keys 0–3 answer it, Delete clears the answer.</translation>
    </message>
    <message>
        <location line="+28"/>
        <source>{code} の前年度の回答</source>
        <translation>Previous year&apos;s answer to {code}</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>前年度</source>
        <translation>Prev. year</translation>
    </message>
</context>
<context>
    <name>SearchDialog</name>
    <message>
        <location filename="../../dxdesk/ui/search_dialog.py" line="+78"/>
        <source>検索</source>
        <translation>Search</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>検索（2 文字からでも。空白で区切るとすべてを含む）</source>
        <translation>Search (even 1–2 characters; words separated by spaces must all match)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>検索する言葉</source>
        <translation>Search words</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>種類で絞り込み</source>
        <translation>Filter by kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <location line="+12"/>
        <location line="+3"/>
        <location line="+50"/>
        <source>すべて</source>
        <translation>All</translation>
    </message>
    <message>
        <location line="-61"/>
        <source>市町村で絞り込み</source>
        <translation>Filter by municipality</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>テーマで絞り込み</source>
        <translation>Filter by theme</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>年度で絞り込み</source>
        <translation>Filter by fiscal year</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>検索の結果</source>
        <translation>Search results</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>検索結果の一覧</source>
        <translation>List of search results</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>種類</source>
        <translation>Kind</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市町村</source>
        <translation>Municipality</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>テーマ</source>
        <translation>Theme</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+79"/>
        <source>見つかりませんでした</source>
        <translation>Nothing found</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} 件（上位のみ）</source>
        <translation>{count} (top results only)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{count} 件</source>
        <translation>{count} found</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>検索できませんでした: {error}</source>
        <translation>Could not search: {error}</translation>
    </message>
    <message>
        <location line="+34"/>
        <source>{kind}「{title}」（{status}）に添付</source>
        <translation>Attached to {kind} “{title}” ({status})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{kind}「{title}」に添付</source>
        <translation>attached to {kind} “{title}”</translation>
    </message>
</context>
<context>
    <name>SearchIndexer</name>
    <message>
        <location filename="../../dxdesk/ui/search_indexer.py" line="+112"/>
        <source>添付ファイルの文字を読み取れませんでした: {0}</source>
        <translation>Could not read the text of attached files: {0}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>検索の索引を更新できませんでした: {0}</source>
        <translation>Could not update the search index: {0}</translation>
    </message>
</context>
<context>
    <name>SecretDialog</name>
    <message>
        <location filename="../../dxdesk/ui/backup_secret_dialog.py" line="+18"/>
        <source>バックアップの合言葉</source>
        <translation>Backup passphrase</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>合言葉または回復コード</source>
        <translation>Passphrase or recovery code</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>ShareKnowledgeDialog</name>
    <message>
        <location filename="../../dxdesk/ui/share_knowledge.py" line="+51"/>
        <source>ナレッジとして共有</source>
        <translation>Share as knowledge</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>詳しい人</source>
        <translation>People who know</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>人の情報は、チェックしたものだけが記事に入ります。</source>
        <translation>Only the people you tick go into the article.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>この相談記録から候補になる人はいません。</source>
        <translation>This engagement names nobody to suggest.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>エラー</source>
        <translation>Error</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下書きを読み込んでいます…</source>
        <translation>Loading the draft…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>公開</source>
        <translation>Publish</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>下書きを破棄</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>詳しい人（候補）</source>
        <translation>People who know (suggestions)</translation>
    </message>
    <message>
        <location line="+49"/>
        <source>下書きを作れません: {error}</source>
        <translation>Cannot make the draft: {error}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>公開しています…</source>
        <translation>Publishing…</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>公開できません: {error}</source>
        <translation>Cannot publish: {error}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>下書きの破棄</source>
        <translation>Discard draft</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>この下書きを破棄しますか？書いた内容は残りません。</source>
        <translation>Discard this draft? What you wrote will not be kept.</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>下書きを破棄できません: {error}</source>
        <translation>Cannot discard the draft: {error}</translation>
    </message>
</context>
<context>
    <name>StorePassphraseDialog</name>
    <message>
        <location filename="../../dxdesk/ui/store_passphrase_dialog.py" line="+39"/>
        <source>記録の合言葉</source>
        <translation>Records passphrase</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>この端末にはキーチェーンがないため、データフォルダの記録を、いま決める合言葉（{n} 文字以上）で暗号化します。合言葉は起動のたびに尋ねます。

合言葉を忘れると、この端末の記録は開けなくなり、戻せません（サーバーにある記録は同期で戻ります。暗号化したバックアップからも復元できます）。</source>
        <translation>This computer has no keychain, so the records in the data folder are encrypted with a passphrase you choose now ({n} characters or more). It is asked at each start.

A forgotten passphrase cannot be recovered: the records on this computer can no longer be opened (the server&apos;s records come back with a sync; an encrypted backup can also be restored).</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>データフォルダの記録は合言葉で暗号化されています。合言葉を入力してください。</source>
        <translation>The records in the data folder are encrypted with a passphrase. Enter the passphrase.</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+5"/>
        <source>合言葉</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <location line="-2"/>
        <source>合言葉（確認）</source>
        <translation>Passphrase (again)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>もう一度</source>
        <translation>Again</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>決める</source>
        <translation>Set</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>開く</source>
        <translation>Open</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>2つの合言葉が一致しません</source>
        <translation>The two passphrases differ</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>合言葉は {n} 文字以上にしてください</source>
        <translation>The passphrase needs {n} characters or more</translation>
    </message>
    <message>
        <location line="+33"/>
        <source>合言葉が違います。何も変えていません。もう一度入力してください</source>
        <translation>Wrong passphrase. Nothing was changed. Please enter it again.</translation>
    </message>
</context>
<context>
    <name>SurveyDefinition</name>
    <message>
        <location filename="../../dxdesk/ui/survey_definition_actions.py" line="+46"/>
        <source>読み込んだ定義 {name}（{count} 問）</source>
        <translation>Loaded definition {name} ({count} questions)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>同梱の定義 {name}（{count} 問）</source>
        <translation>Shipped definition {name} ({count} questions)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>アセスメント項目のみ（{count} 問）</source>
        <translation>Assessment items only ({count} questions)</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_definition_dialog.py" line="-185"/>
        <source>追加</source>
        <translation>Added</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>削除</source>
        <translation>Removed</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>設問文</source>
        <translation>Wording</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>形式</source>
        <translation>Type</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>選択肢</source>
        <translation>Choices</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ページ</source>
        <translation>Page</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>項目</source>
        <translation>Item</translation>
    </message>
</context>
<context>
    <name>SurveyDefinitionActions</name>
    <message>
        <location filename="../../dxdesk/ui/survey_definition_actions.py" line="+31"/>
        <source>調査の定義を読み込む…</source>
        <translation>Load survey definition…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>調査の定義を読み込む</source>
        <translation>Load survey definition</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>定義を書き出す…</source>
        <translation>Export definition…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>調査の定義を書き出す</source>
        <translation>Export survey definition</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>表示中の年度の調査の定義を Excel ブックに保存します（編集して読み込めます）</source>
        <translation>Saves the shown year&apos;s survey definition as an Excel workbook (edit it, then load it)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>調査の定義の操作の結果</source>
        <translation>Survey definition result</translation>
    </message>
    <message>
        <location line="+14"/>
        <source>調査の定義を読み込めるのは事務局（コーディネーター）だけです。定義の変更は事務局に依頼してください（読み込まれた定義は同期で届きます）</source>
        <translation>Only the secretariat (a coordinator) can load survey definitions. Ask the secretariat for a change (a loaded definition arrives with a sync)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>設問と選択肢の Excel ブックを確かめ、問題がなければ変更点を見てから、その年度の調査の定義として読み込みます</source>
        <translation>Checks an Excel workbook of questions and choices and, if it has no problems, shows what changes before loading it as the year&apos;s survey definition</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>読み込む調査の定義（Excel ブック）</source>
        <translation>Survey definition to load (Excel workbook)</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{file} を確かめています…</source>
        <translation>Checking {file}…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{file} を読み込めません: {reason}</source>
        <translation>Cannot read {file}: {reason}</translation>
    </message>
    <message>
        <location line="+26"/>
        <source>{file} を読み込んでいます…</source>
        <translation>Loading {file}…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{file} は {year} の今の定義と同じです（何も変わっていません）</source>
        <translation>{file} is the same as the current {year} definition (nothing changed)</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{file} を {year} の調査の定義として読み込みました（{questions} 問、変更 {changes} 件）。次の同期で全員に届きます</source>
        <translation>Loaded {file} as the {year} survey definition ({questions} questions, {changes} changes). It reaches everyone at the next sync</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{file} を読み込みませんでした: {reason}</source>
        <translation>{file} was not loaded: {reason}</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>{year} の調査の定義の保存先</source>
        <translation>Save the {year} survey definition as</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>調査の定義を書き出しています…</source>
        <translation>Exporting the survey definition…</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{year} の調査の定義（{questions} 問）を書き出しました: {path}</source>
        <translation>Exported the {year} survey definition ({questions} questions): {path}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>調査の定義を書き出せませんでした: {reason}</source>
        <translation>Could not export the survey definition: {reason}</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>調査の定義</source>
        <translation>Survey definition</translation>
    </message>
</context>
<context>
    <name>SurveyImport</name>
    <message>
        <location filename="../../dxdesk/ui/survey_answer_sheet.py" line="+25"/>
        <source>回答票の年度</source>
        <translation>Fiscal year of the answer sheet</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/survey_wizard_pages.py" line="-111"/>
        <source>年度</source>
        <translation>Fiscal year</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>回答票の保存先</source>
        <translation>Save the answer sheet as</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>回答票を作っています…</source>
        <translation>Making the answer sheet…</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>{year} の回答票を作りました: {path}（{count} 市町村）</source>
        <translation>Made the {year} answer sheet: {path} ({count} municipalities)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>回答票を作れませんでした: {reason}</source>
        <translation>Could not make the answer sheet: {reason}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>回答票</source>
        <translation>Answer sheet</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_import_session.py" line="+115"/>
        <source>どの年度の調査か、ファイルから分かりません。年度を選んでください。</source>
        <translation>The file does not say which fiscal year it is for. Choose the year.</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_preview_tables.py" line="-33"/>
        <location filename="../../dxdesk/ui/survey_wizard.py" line="+44"/>
        <source>新規</source>
        <translation>New</translation>
    </message>
    <message>
        <location line="+1"/>
        <location filename="../../dxdesk/ui/survey_wizard.py" line="+1"/>
        <source>更新</source>
        <translation>Update</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>変更なし</source>
        <translation>No change</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>市町村コード</source>
        <translation>Municipality code</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市町村名</source>
        <translation>Municipality name</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回答者</source>
        <translation>Respondent</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回答日時</source>
        <translation>Answered at</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>フォームの情報</source>
        <translation>Form details</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>要確認</source>
        <translation>To confirm</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未割り当て（選んでください）</source>
        <translation>Not assigned (choose one)</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_wizard.py" line="-15"/>
        <source>書き込んだ変更はありません。</source>
        <translation>Nothing was changed.</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{year} の調査の回答を {responses} 市町村分、アセスメントを新規 {created} 件・更新 {updated} 件書き込みました。</source>
        <translation>Wrote the {year} survey answers of {responses} municipalities and the assessments: {created} new, {updated} updated.</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_wizard_pages.py" line="+27"/>
        <source>処理中</source>
        <translation>Working</translation>
    </message>
    <message>
        <location line="+115"/>
        <source>このファイルは取り込み済みです。取り込んでも何も変わりません。</source>
        <translation>This file was imported before. Importing it again changes nothing.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>{year} の調査として {count} 市町村の回答を新規 {created} 件・更新 {updated} 件書き込みます（採点項目は調査のアセスメントにも）。対面のアセスメントは変更しません。</source>
        <translation>Writes the {year} survey answers of {count} municipalities: {created} new, {updated} updated (the scored items go into the survey assessments too). In-person assessments are not changed.</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>{year} の調査として書き込む変更はありません。</source>
        <translation>Nothing to write for the {year} survey.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>{count} 市町村は回答が同じなので、そのままにします。</source>
        <translation>{count} municipalities answered the same as before and stay as they are.</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>除外した {count} 行は取り込みません。</source>
        <translation>The {count} excluded rows are not imported.</translation>
    </message>
</context>
<context>
    <name>SurveyImportWizard</name>
    <message>
        <location filename="../../dxdesk/ui/survey_wizard.py" line="+26"/>
        <source>調査の回答を取り込む</source>
        <translation>Import survey answers</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>完了</source>
        <translation>Done</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取り込みが終わりました。</source>
        <translation>The import is done.</translation>
    </message>
</context>
<context>
    <name>SurveyPanel</name>
    <message>
        <location filename="../../dxdesk/ui/survey_panel.py" line="+61"/>
        <source>調査</source>
        <translation>Survey</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>調査の年度</source>
        <translation>Survey fiscal year</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>年度(&amp;Y)</source>
        <translation>Fiscal &amp;year</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>調査の定義</source>
        <translation>Survey definition</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>回答票を作成…</source>
        <translation>Make answer sheet…</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>調査の回答を取り込む…</source>
        <translation>Import survey answers…</translation>
    </message>
    <message>
        <location line="+20"/>
        <source>回答の集計</source>
        <translation>Answer counts</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>市町村ごとの回答状況</source>
        <translation>Answers by municipality</translation>
    </message>
    <message>
        <location line="+6"/>
        <location line="+9"/>
        <source>未回答の市町村</source>
        <translation>Municipalities not answered</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>未回答の市町村をコピー</source>
        <translation>Copy municipalities not answered</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未回答の市町村名を 1 行に 1 つずつクリップボードへ（督促のメール用）</source>
        <translation>Copies the names of the municipalities that have not answered, one per line (for a reminder mail)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>コピーの結果</source>
        <translation>Copy result</translation>
    </message>
    <message>
        <location line="+88"/>
        <source>回答済み {answered} / {total} 団体、未回答 {missing} 団体</source>
        <translation>{answered} of {total} municipalities answered, {missing} not answered</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>未回答の市町村（{count} 団体）</source>
        <translation>Municipalities not answered ({count})</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>定義: 読み込んだ {name}（{count} 問）</source>
        <translation>Definition: loaded {name} ({count} questions)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>定義: 同梱の {name}（{count} 問）</source>
        <translation>Definition: shipped {name} ({count} questions)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>定義: 読み込まれていません。アセスメント項目のみ（{count} 問）</source>
        <translation>Definition: none loaded; the assessment items only ({count} questions)</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>{count} 団体の名前をコピーしました</source>
        <translation>Copied {count} municipality names</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/survey_status_table.py" line="-29"/>
        <source>回答済み（{count} 件）</source>
        <translation>Answered ({count} answers)</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>回答済み</source>
        <translation>Answered</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>未回答</source>
        <translation>Not answered</translation>
    </message>
    <message>
        <location line="+40"/>
        <source>{name}（回答者: {respondent}）</source>
        <translation>{name} (respondent: {respondent})</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>この年度の回答がほかに {count} 件あります（{files}）。表示しているのは最後に取り込まれた回答です。残さない回答を削除してください</source>
        <translation>{count} more answers this year ({files}). The one shown is the last imported; delete the answers you do not keep</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>定義の {questions} 問のうち {answered} 問に回答しています</source>
        <translation>{answered} of the definition&apos;s {questions} questions answered</translation>
    </message>
</context>
<context>
    <name>SurveyReportActions</name>
    <message>
        <location filename="../../dxdesk/ui/survey_report_actions.py" line="+47"/>
        <source>県全体の集計は事務局の端末で作成してください（この端末には担当の市町村の回答しかありません）</source>
        <translation>Make the prefecture&apos;s figures on the secretariat&apos;s computer (this one holds only the answers of its own municipalities)</translation>
    </message>
    <message>
        <location line="+38"/>
        <source>調査の年度</source>
        <translation>Survey fiscal year</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>調査の比較レポート</source>
        <translation>Survey comparison report</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>印刷プレビュー: 調査の比較レポート（{name}、{year}）</source>
        <translation>Print preview: survey comparison report ({name}, {year})</translation>
    </message>
    <message>
        <location line="+19"/>
        <location line="+12"/>
        <source>調査の全体集計</source>
        <translation>Survey overview</translation>
    </message>
    <message>
        <location line="-8"/>
        <source>調査レポートの保存先フォルダ</source>
        <translation>Folder for the survey reports</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>{year} の調査レポートを作成しています…</source>
        <translation>Making the {year} survey reports…</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>なし</source>
        <translation>none</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>{year} の調査レポートを {count} 件作成しました: {folder}
（全体集計の PDF と Excel は「{internal}」フォルダに、事務局の内部用として）
未回答の市町村: {missing}</source>
        <translation>Made {count} {year} survey report files: {folder}
(the overview PDF and Excel are in the &quot;{internal}&quot; folder, for the secretariat&apos;s internal use)
Not answered: {missing}</translation>
    </message>
    <message>
        <location line="+17"/>
        <source>調査レポートの作成を中止しました（フォルダは変わっていません）</source>
        <translation>Survey reports cancelled (the folder is unchanged)</translation>
    </message>
</context>
<context>
    <name>SyncController</name>
    <message>
        <location filename="../../dxdesk/ui/sync_controller.py" line="+83"/>
        <source>同期(&amp;S)</source>
        <translation>&amp;Sync</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>サーバーと同期する（Ctrl+S）</source>
        <translation>Sync with the server (Ctrl+S)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ログイン(&amp;L)…</source>
        <translation>&amp;Log in…</translation>
    </message>
    <message>
        <location line="+2"/>
        <location line="+268"/>
        <location line="+10"/>
        <source>ログアウト</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location line="-275"/>
        <source>自動で同期する（{n} 分ごと）</source>
        <translation>Sync automatically (every {n} minutes)</translation>
    </message>
    <message>
        <location line="+99"/>
        <source>同期するには、まず同期サーバーにログインしてください。</source>
        <translation>To sync, first log in to the sync server.</translation>
    </message>
    <message>
        <location line="+72"/>
        <source>同期しました（送信 {pushed} 件、受信 {pulled} 件、競合 {conflicts} 件）</source>
        <translation>Synced ({pushed} sent, {pulled} received, {conflicts} conflicts)</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>担当市町村の変更</source>
        <translation>Change of assigned municipalities</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/sync_outcome.py" line="+27"/>
        <source>担当から外れたため、次の市町村を端末から削除しました: {names}
この端末での変更は、削除の前にすべてサーバーへ送りました。</source>
        <translation>These municipalities are no longer assigned to you and were removed from this computer: {names}
Every change made here was sent to the server before they were removed.</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>次の市町村も担当から外れましたが、まだ送れていない変更（またはサーバーが受け付けなかった変更）があるため端末に残しています: {names}
変更を送るか競合の画面で扱いを決めると、次の同期で削除します。</source>
        <translation>These municipalities are no longer assigned to you either, but they stay on this computer because they have changes not yet sent (or refused by the server): {names}
Once the changes are sent or settled in the conflicts window, the next sync removes them.</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/sync_controller.py" line="+18"/>
        <source>端末内の変更はそのまま残っています（次の同期で送ります）。</source>
        <translation>The changes on this computer are kept (they go at the next sync).</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>自動同期できませんでした: {error}</source>
        <translation>Automatic sync failed: {error}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>同期できませんでした</source>
        <translation>Could not sync</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>同期を中止しました（受け取った分は保存済みです）</source>
        <translation>Sync cancelled (what was received is saved)</translation>
    </message>
    <message>
        <location line="+39"/>
        <source>ログインしました</source>
        <translation>Logged in</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>ログイン</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>{server} に接続できました。</source>
        <translation>Connected to {server}.</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>ログアウトしました</source>
        <translation>Logged out</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>この端末のログイン情報は消しました。サーバーに接続できなかったため、端末の登録の取り消しは管理者に依頼してください。</source>
        <translation>This computer&apos;s login was removed. The server could not be reached, so ask the administrator to revoke this device.</translation>
    </message>
    <message>
        <location line="+12"/>
        <source>自分</source>
        <translation>me</translation>
    </message>
</context>
<context>
    <name>SyncFiles</name>
    <message>
        <location filename="../../dxdesk/ui/sync_files.py" line="+35"/>
        <source> ファイル: 送信 {sent} 件、受信 {received} 件</source>
        <translation> Files: {sent} sent, {received} received</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>（{why}）</source>
        <translation> ({why})</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>（{n} 件は次の同期で受け取ります）</source>
        <translation> ({n} more at the next sync)</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>ファイルの事前ダウンロード(&amp;D)…</source>
        <translation>Files &amp;Downloaded Ahead…</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>同期のときに前もって受け取っておく添付ファイルの範囲を設定します</source>
        <translation>Set which attached files each sync brings to this laptop ahead of time</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>取得を中止しました。</source>
        <translation>Fetching was cancelled.</translation>
    </message>
</context>
<context>
    <name>SyncStatusWidgets</name>
    <message>
        <location filename="../../dxdesk/ui/sync_status.py" line="+69"/>
        <source>同期先</source>
        <translation>Sync server</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>同期の状態</source>
        <translation>Sync state</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>最終同期</source>
        <translation>Last sync</translation>
    </message>
    <message>
        <location line="+5"/>
        <location line="+55"/>
        <source>競合なし</source>
        <translation>No conflicts</translation>
    </message>
    <message>
        <location line="-52"/>
        <source>未解決の競合</source>
        <translation>Open conflicts</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>クリックすると競合の解決画面を開きます</source>
        <translation>Click to open the conflicts window</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>今すぐ同期</source>
        <translation>Sync now</translation>
    </message>
    <message>
        <location line="+16"/>
        <source>同期先: 未設定</source>
        <translation>Sync server: not set</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ファイル → ログイン… で同期サーバーを設定します</source>
        <translation>Set the sync server with File → Log in…</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{user} @ {server}</source>
        <translation>{user} @ {server}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>同期中… — 変更 {n} 件</source>
        <translation>Syncing… — {n} changes</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未接続 — 変更 {n} 件は端末内に保存済み</source>
        <translation>Not connected — {n} changes saved on this computer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>オンライン — 変更 {n} 件が送信待ち</source>
        <translation>Online — {n} changes waiting to be sent</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>オフライン — 変更 {n} 件は端末内に保存済み</source>
        <translation>Offline — {n} changes saved on this computer</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>、送信待ちファイル {n} 件</source>
        <translation>, {n} files waiting to go up</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>最終同期: なし</source>
        <translation>Last sync: never</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>最終同期: {time}</source>
        <translation>Last sync: {time}</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>競合 {n} 件</source>
        <translation>{n} conflicts</translation>
    </message>
</context>
<context>
    <name>SyncTask</name>
    <message>
        <location filename="../../dxdesk/ui/sync_task.py" line="+48"/>
        <source>同期</source>
        <translation>Sync</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>サーバーと同期しています…</source>
        <translation>Syncing with the server…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>中止</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location line="+19"/>
        <source>中止しています…</source>
        <translation>Cancelling…</translation>
    </message>
    <message>
        <location line="+18"/>
        <source>受信しています… {n} 件</source>
        <translation>Receiving… {n} records</translation>
    </message>
</context>
<context>
    <name>TimeEdit</name>
    <message>
        <location filename="../../dxdesk/ui/time_edit.py" line="+20"/>
        <source>例 10:00</source>
        <translation>e.g. 10:00</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>空欄なら終日です。</source>
        <translation>Leave empty for all day.</translation>
    </message>
</context>
<context>
    <name>UndoDelete</name>
    <message>
        <location filename="../../dxdesk/ui/undo.py" line="+29"/>
        <location line="+12"/>
        <source>元に戻す</source>
        <translation>Undo</translation>
    </message>
    <message>
        <location line="-5"/>
        <source>元に戻す: {what}の削除</source>
        <translation>Undo Deleting {what}</translation>
    </message>
</context>
<context>
    <name>UnsavedNotice</name>
    <message>
        <location filename="../../dxdesk/ui/unsaved_notice.py" line="+27"/>
        <source>・{record}: {fields}</source>
        <translation>• {record}: {fields}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>・{fields}（{reason}）</source>
        <translation>• {fields} ({reason})</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>保存に失敗した入力があります。閉じるとこの入力は失われます:
{fields}</source>
        <translation>Some input failed to save. If you close, this input is lost:
{fields}</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>まだ保存できていない入力があります:
{records}

閉じても入力はこの端末に残り、次に開いたときに表示されます。</source>
        <translation>Some input could not be saved yet:
{records}

If you close, it stays on this computer and is shown again next time.</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>閉じますか？</source>
        <translation>Close anyway?</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>未保存の入力</source>
        <translation>Unsaved input</translation>
    </message>
</context>
<context>
    <name>Wipe</name>
    <message>
        <location filename="../../dxdesk/ui/wipe_notice.py" line="+31"/>
        <source>この端末のデータを消去しました</source>
        <translation>This laptop&apos;s data was erased</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>消去の通知</source>
        <translation>Erasure notice</translation>
    </message>
</context>
<context>
    <name>_Encrypting</name>
    <message>
        <location filename="../../dxdesk/ui/store_encrypting_dialog.py" line="+55"/>
        <source>記録を暗号化しています…</source>
        <translation>Encrypting the records…</translation>
    </message>
    <message>
        <location line="+0"/>
        <source>キャンセル</source>
        <translation>Cancel</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../../dxdesk/ui/app.py" line="+34"/>
        <source>デモデータを作成しました</source>
        <translation>Demo data created</translation>
    </message>
    <message>
        <location line="+4"/>
        <source>デモデータを作成しています…</source>
        <translation>Creating demo data…</translation>
    </message>
    <message>
        <location line="+6"/>
        <source>データフォルダの記録 {path} が読めません（壊れています）。

ファイルには手を付けず、そのまま残してあります。
自動バックアップから戻せます（コマンドでは dxdesk backups で一覧、dxdesk restore FILE で復元）。復元のあと同期すると、サーバーにある新しい記録も戻ります。</source>
        <translation>The records of the data folder, {path}, cannot be read (they are damaged).

The file has been left untouched.
You can go back to an automatic backup (on the command line: dxdesk backups lists them, dxdesk restore FILE restores one). Syncing after the restore brings back the newer records on the server too.</translation>
    </message>
    <message>
        <location line="+50"/>
        <source>記録の暗号化を中止しました。記録は暗号化する前のまま残してあります。終了します。</source>
        <translation>Encrypting the records was stopped. The records are left as they were, not encrypted. DX Desk will now quit.</translation>
    </message>
    <message>
        <location line="+31"/>
        <source>{title}（デモ）</source>
        <translation>{title} (demo)</translation>
    </message>
    <message>
        <location filename="../../dxdesk/ui/backup_start.py" line="+38"/>
        <source>このバックアップは暗号化されています。バックアップの合言葉か回復コードを入力してください。</source>
        <translation>This backup is encrypted. Enter the backup passphrase or the recovery code.</translation>
    </message>
    <message>
        <location line="+45"/>
        <source>最新のバックアップ（{taken}）から戻せます。今のファイルは別の名前で残します。</source>
        <translation>You can go back to the newest backup ({taken}). The current file is kept under another name.</translation>
    </message>
    <message>
        <location line="+5"/>
        <source>最新のバックアップから復元</source>
        <translation>Restore the Newest Backup</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>閉じる</source>
        <translation>Close</translation>
    </message>
</context>
<context>
    <name>conflicts</name>
    <message>
        <location filename="../../dxdesk/ui/sync_conflict_text.py" line="+52"/>
        <location line="+172"/>
        <source>（未回答）</source>
        <translation>(not answered)</translation>
    </message>
    <message>
        <location line="-93"/>
        <source>記録全体</source>
        <translation>Whole record</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>回答 {item}</source>
        <translation>Answer {item}</translation>
    </message>
    <message>
        <location line="+22"/>
        <source>（空）</source>
        <translation>(empty)</translation>
    </message>
    <message>
        <location line="+48"/>
        <source>{municipality} {people}名</source>
        <translation>{municipality} {people} people</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>{target} {count}回</source>
        <translation>{target} {count} times</translation>
    </message>
    <message>
        <location line="+15"/>
        <source>はい</source>
        <translation>Yes</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>いいえ</source>
        <translation>No</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>{count} 問の回答</source>
        <translation>Answers to {count} questions</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>{questions} 問・{pages} ページ（採点項目 {scored} 問）、選択肢リスト {lists} 個</source>
        <translation>{questions} questions, {pages} pages ({scored} scored items), {lists} choice lists</translation>
    </message>
    <message>
        <location line="+37"/>
        <source>回答に違いはありません</source>
        <translation>The answers do not differ</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>回答が {count} 問で異なります（{codes}）</source>
        <translation>The answers differ in {count} questions ({codes})</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>{code}: 相手「{theirs}」／自分「{mine}」</source>
        <translation>{code}: theirs &quot;{theirs}&quot; / mine &quot;{mine}&quot;</translation>
    </message>
    <message>
        <location line="+13"/>
        <source>（読めない定義）</source>
        <translation>(unreadable definition)</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>相手の定義: {text}</source>
        <translation>Their definition: {text}</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>自分の定義: {text}</source>
        <translation>My definition: {text}</translation>
    </message>
    <message>
        <location line="+8"/>
        <source>相手の定義から自分の定義への違い（{count} 件）:</source>
        <translation>Differences from their definition to mine ({count}):</translation>
    </message>
    <message>
        <location line="+10"/>
        <source>「{title}」 {questions} 問</source>
        <translation>&quot;{title}&quot; {questions} questions</translation>
    </message>
    <message>
        <location line="+9"/>
        <source>ほか {count} 件</source>
        <translation>and {count} more</translation>
    </message>
    <message>
        <location line="+21"/>
        <source>（なし）</source>
        <translation>(none)</translation>
    </message>
    <message>
        <location line="+7"/>
        <source>（項目の変更なし）</source>
        <translation>(no field changes)</translation>
    </message>
    <message>
        <location line="+22"/>
        <location line="+5"/>
        <source>【{name} の版】</source>
        <translation>[{name}&apos;s version]</translation>
    </message>
    <message>
        <location line="+3"/>
        <source>【ここまで】</source>
        <translation>[end]</translation>
    </message>
</context>
<context>
    <name>vocabulary</name>
    <message>
        <location filename="../../dxdesk/ui/format.py" line="-100"/>
        <source>訪問</source>
        <translation>Visit</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>定例よろず相談</source>
        <translation>Regular consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>地域別よろず相談</source>
        <translation>Regional consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>テーマ別よろず相談</source>
        <translation>Theme consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合同研修</source>
        <translation>Joint training</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>トップセミナー</source>
        <translation>Top seminar</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>チャット相談</source>
        <translation>Chat consultation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>国のアドバイザー制度</source>
        <translation>National advisor scheme</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>成果報告会</source>
        <translation>Results meeting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市町村DX担当者会議</source>
        <translation>Municipal DX officers meeting</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>市町村DX推進部会</source>
        <translation>Municipal DX promotion committee</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>eラーニング</source>
        <translation>E-learning</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>DX入門研修</source>
        <translation>DX introductory training</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>予定</source>
        <translation>Planned</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>実施</source>
        <translation>Held</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>中止</source>
        <translation>Cancelled</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>対面</source>
        <translation>In person</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>オンライン</source>
        <translation>Online</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>調査票</source>
        <translation>Survey</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>未着手</source>
        <translation>Not started</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>対応中</source>
        <translation>In progress</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>完了</source>
        <translation>Done</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>取りやめ</source>
        <translation>Dropped</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>共創</source>
        <translation>Co-creation</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>協働</source>
        <translation>Collaboration</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>支援</source>
        <translation>Support</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>関与</source>
        <translation>Involvement</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>ノウハウ</source>
        <translation>Know-how</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ノウフー</source>
        <translation>Know-who</translation>
    </message>
    <message>
        <location line="+2"/>
        <source>相談記録</source>
        <translation>engagement</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ヒアリング</source>
        <translation>interview note</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>フォローアップ</source>
        <translation>follow-up</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>連絡先</source>
        <translation>contact</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>アセスメント</source>
        <translation>assessment</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>ナレッジ</source>
        <translation>knowledge article</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>合同の場</source>
        <translation>group session</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>添付ファイル</source>
        <translation>attached file</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>調査の定義</source>
        <translation>survey definition</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>調査の回答</source>
        <translation>survey answers</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>定例の間隔</source>
        <translation>consultation interval</translation>
    </message>
    <message>
        <location line="+1"/>
        <source>年度計画</source>
        <translation>annual plan</translation>
    </message>
</context>
</TS>
