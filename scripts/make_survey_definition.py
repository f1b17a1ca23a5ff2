#!/usr/bin/env python3
"""Build the shipped R6 (FY2024) survey definition from the table below.

Writes resources/survey/definition-2024-wakayama.xlsx (the workbook the secretariat edits and
loads with ``dxdesk survey-definition load``) and definition-2024-wakayama.json (its stored
form, which the app reads when no definition was loaded for the year).

What is known of the R6 survey: 66 questions over 9 pages, on DX and on くらしづくり・産業づくり・
社会づくり, 26 of them the assessment items (their wording is the catalog's, exactly). The other
40 are modelled on the sections the programme names and marked 要確認 (to be confirmed by the
secretariat, who holds the real form).

    .venv/bin/python scripts/make_survey_definition.py [--output-dir DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dxdesk.domain.catalog import Catalog, load_catalog  # noqa: E402
from dxdesk.domain.survey_definition import (  # noqa: E402
    Choice,
    Question,
    SurveyDefinition,
)
from dxdesk.imports.definition_writer import write_definition_workbook  # noqa: E402

FISCAL_YEAR = 2024
PREFECTURE = "和歌山県"
TITLE = "令和6年度 市町村DX推進状況調査"
NAME = "definition-2024-wakayama"

# (page, section, rows); a row is a catalog item code (a scored question, worded as the catalog
# has it) or (code, type, text, choice list or unit, required).
Row = str | tuple[str, str, str, str, bool]
PAGES: list[tuple[int, str, list[Row]]] = [
    (
        1,
        "回答者情報",
        [
            ("Q1-1", "text", "回答される部署名を教えてください。", "", True),
            ("Q1-2", "text", "回答者の職名を教えてください。", "", False),
            ("Q1-3", "date", "回答日を教えてください。", "", True),
            ("Q1-4", "number", "庁内の職員数（正規職員）を教えてください。", "人", False),
        ],
    ),
    (
        2,
        "DX推進体制",
        [
            "0-1",
            "0-3",
            "1-1",
            ("Q2-1", "date", "DX推進計画・指針等を策定（改定）した日を教えてください。", "", False),
            ("Q2-2", "yes_no", "DX推進の庁内会議体（推進本部等）を設置していますか？", "", False),
            "2-1",
            ("Q2-3", "single", "DX推進の責任者の職位を教えてください。", "leader_rank", False),
            "2-3",
            ("Q2-4", "number", "DX推進担当部門の職員数を教えてください。", "人", False),
        ],
    ),
    (
        3,
        "DX人材",
        [
            "5-1",
            (
                "Q3-1",
                "number",
                "情報系の資格（ITパスポート等）を持つ職員数を教えてください。",
                "人",
                False,
            ),
            (
                "Q3-2",
                "number",
                "昨年度、DXに関する研修を受講した職員数を教えてください。",
                "人",
                False,
            ),
            (
                "Q3-3",
                "multiple",
                "人材育成で実施している取組をすべて選んでください。",
                "hr_measures",
                False,
            ),
            "D6",
            "5-7",
            (
                "Q3-4",
                "multiple",
                "活用している外部人材をすべて選んでください。",
                "outside_people",
                False,
            ),
            ("Q3-5", "text", "DX人材の育成・確保の課題があれば教えてください。", "", False),
        ],
    ),
    (
        4,
        "システム標準化・セキュリティ",
        [
            "3-1",
            (
                "Q4-1",
                "date",
                "標準準拠システムへの移行が完了する見込みの時期を教えてください。",
                "",
                False,
            ),
            (
                "Q4-2",
                "multiple",
                "移行で課題となっていることをすべて選んでください。",
                "migration_issues",
                False,
            ),
            (
                "Q4-3",
                "single",
                "ガバメントクラウドの利用について教えてください。",
                "gov_cloud",
                False,
            ),
            "3-7",
            (
                "Q4-4",
                "yes_no",
                "情報セキュリティポリシーをこの1年以内に見直しましたか？",
                "",
                False,
            ),
            (
                "Q4-5",
                "number",
                "昨年度の情報セキュリティ研修の受講率を教えてください。",
                "%",
                False,
            ),
        ],
    ),
    (
        5,
        "行政手続オンライン化・業務改革",
        [
            "3-2",
            "3-3",
            ("Q5-1", "number", "オンラインで申請できる手続の数を教えてください。", "件", False),
            (
                "Q5-2",
                "multiple",
                "利用している電子申請の仕組みをすべて選んでください。",
                "e_application",
                False,
            ),
            ("Q5-3", "yes_no", "「書かない窓口」に取り組んでいますか？", "", False),
            (
                "Q5-4",
                "single",
                "窓口・施設でのキャッシュレス決済の導入状況を教えてください。",
                "cashless",
                False,
            ),
            "3-4",
            ("Q5-5", "yes_no", "生成AIの利用ガイドラインを定めていますか？", "", False),
            "3-5",
            ("Q5-6", "number", "RPAで自動化した業務の数を教えてください。", "業務", False),
            "3-6",
            "3-12",
        ],
    ),
    (
        6,
        "くらしづくり",
        [
            (
                "Q6-1",
                "multiple",
                "くらし分野で取り組んでいるDXをすべて選んでください。",
                "life_fields",
                False,
            ),
            (
                "Q6-2",
                "single",
                "くらし分野で最も力を入れている取組を選んでください。",
                "life_fields",
                False,
            ),
            "3-11",
            (
                "Q6-3",
                "number",
                "昨年度、スマートフォン教室など住民向け講座を開いた回数を教えてください。",
                "回",
                False,
            ),
            ("Q6-4", "yes_no", "くらし分野の取組で県や他の団体と連携していますか？", "", False),
            ("Q6-5", "text", "くらし分野の取組の内容と成果を教えてください。", "", False),
        ],
    ),
    (
        7,
        "産業づくり",
        [
            ("Q7-1", "single", "地域の事業者のDXを支援していますか？", "support_status", False),
            (
                "Q7-2",
                "multiple",
                "支援している産業分野をすべて選んでください。",
                "industries",
                False,
            ),
            ("Q7-3", "multiple", "支援の方法をすべて選んでください。", "support_methods", False),
            ("Q7-4", "number", "昨年度の事業者への支援件数を教えてください。", "件", False),
            ("Q7-5", "text", "産業分野の取組の内容と成果を教えてください。", "", False),
        ],
    ),
    (
        8,
        "社会づくり",
        [
            "3-9",
            "3-13",
            (
                "Q8-1",
                "number",
                "公開しているオープンデータのデータセット数を教えてください。",
                "件",
                False,
            ),
            (
                "Q8-2",
                "multiple",
                "地域社会のデジタル化で連携している相手をすべて選んでください。",
                "partners",
                False,
            ),
            ("Q8-3", "yes_no", "デジタル化に関する官民連携の協定等を結んでいますか？", "", False),
        ],
    ),
    (
        9,
        "和歌山県独自指標",
        [
            "D1",
            "D2",
            "D3",
            "D4",
            "D5",
            "D7",
            "D8",
            (
                "Q9-1",
                "multiple",
                "県・アドバイザーに支援してほしい分野をすべて選んでください。",
                "wishes",
                False,
            ),
            ("Q9-2", "single", "希望する相談の方法を選んでください。", "consultation", False),
            ("Q9-3", "text", "県・アドバイザーへのご意見・ご要望をお書きください。", "", False),
        ],
    ),
]
# The modelled questions of page 9 ask for requests, not the prefecture's indicators.
SECTIONS = {
    "Q9-1": "県・アドバイザーへの要望",
    "Q9-2": "県・アドバイザーへの要望",
    "Q9-3": "県・アドバイザーへの要望",
}

CHOICE_LISTS: dict[str, list[str]] = {
    "leader_rank": [
        "首長",
        "副首長",
        "部長級",
        "課長級",
        "外部人材（CDO補佐官等）",
        "配置していない",
    ],
    "hr_measures": [
        "階層別研修",
        "eラーニング",
        "資格取得の支援",
        "外部研修への派遣",
        "庁内公募・プロジェクト",
        "特になし",
    ],
    "outside_people": [
        "国の地域情報化アドバイザー",
        "地域活性化起業人",
        "民間企業からの派遣・任用",
        "大学等の専門家",
        "本事業のDXアドバイザー",
        "活用していない",
    ],
    "migration_issues": [
        "事業者の人員不足",
        "経費の増加",
        "業務の見直し",
        "職員の不足",
        "スケジュール",
        "特になし",
    ],
    "gov_cloud": ["利用している", "利用する予定", "検討中", "利用しない"],
    "e_application": [
        "マイナポータル（ぴったりサービス）",
        "県の電子申請システム",
        "自団体の電子申請システム",
        "民間のフォームサービス",
        "なし",
    ],
    "cashless": ["すべての窓口・施設", "一部の窓口・施設", "導入していない"],
    "life_fields": [
        "防災",
        "子育て・教育",
        "医療・介護・福祉",
        "地域交通",
        "住民向けアプリ・情報発信",
        "特になし",
    ],
    "support_status": ["支援している", "支援する予定", "検討中", "支援していない"],
    "industries": ["農林水産業", "観光", "商工業", "建設", "医療・福祉", "その他"],
    "support_methods": ["補助金・助成", "専門家の派遣", "セミナー・研修", "相談窓口", "その他"],
    "partners": [
        "県",
        "他の市町村",
        "民間企業",
        "大学・研究機関",
        "地域団体・NPO",
        "連携していない",
    ],
    "wishes": [
        "計画・方針づくり",
        "人材育成",
        "システム標準化",
        "手続オンライン化・BPR",
        "地域社会DX",
        "共同利用・共同調達",
        "その他",
    ],
    "consultation": [
        "定例よろず相談（オンライン）",
        "地域別よろず相談",
        "テーマ別よろず相談",
        "チャット相談",
        "訪問",
    ],
}


def build_definition(catalog: Catalog) -> SurveyDefinition:
    questions = []
    for page, section, rows in PAGES:
        for row in rows:
            if isinstance(row, str):
                item = catalog.item(row)
                questions.append(
                    Question(row, page, section, item.question, "scored", item=row, required=True)
                )
                continue
            code, kind, text, extra, required = row
            questions.append(
                Question(
                    code,
                    page,
                    SECTIONS.get(code, section),
                    text,
                    kind,
                    choices=extra if kind in ("single", "multiple") else None,
                    unit=extra if kind == "number" else "",
                    required=required,
                    to_confirm=True,
                )
            )
    lists = {
        name: tuple(Choice(label, label) for label in labels)
        for name, labels in CHOICE_LISTS.items()
    }
    return SurveyDefinition(
        FISCAL_YEAR, PREFECTURE, TITLE, tuple(questions), lists, catalog.version
    )


def definition_json(definition: SurveyDefinition) -> str:
    return json.dumps(definition.as_json(), ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output-dir", type=Path, default=ROOT / "resources" / "survey")
    args = parser.parse_args()
    definition = build_definition(load_catalog(str(FISCAL_YEAR)))
    args.output_dir.mkdir(parents=True, exist_ok=True)
    write_definition_workbook(definition, args.output_dir / f"{NAME}.xlsx")
    (args.output_dir / f"{NAME}.json").write_text(definition_json(definition), encoding="utf-8")
    (args.output_dir / f"{NAME}.xlsx").chmod(0o644)  # a shipped file, not a private one
    count = f"{len(definition.questions)} 問・{len(definition.pages)} ページ"
    print(f"{count}: {args.output_dir}/{NAME}.xlsx, .json")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
