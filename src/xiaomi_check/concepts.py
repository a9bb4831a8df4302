"""Data, not logic: canonical line items and the label patterns that name them, in English,
Traditional and Simplified Chinese; segment and region names; the words that mark a decoy table.

Patterns are regular expressions matched against a label that `statements.normalise_label` has folded
(NFKC, casefolded, leading dashes, note references and "(loss)/" wording removed). Order matters:
the first concept whose pattern matches wins, so specific items come before general ones.
"""

from __future__ import annotations

from xiaomi_check.models import StatementKind

Concepts = tuple[tuple[str, str], ...]

_PER_SHARE = r"per (?:common |ordinary )?share"
_GAAP = r"^(?!.*\bnon-(?:gaap|ifrs)\b)(?!.*\badjusted\b)"  # the shares of a non-GAAP measure are not the statement's
INCOME_ITEMS: Concepts = (
    # the lines under a statement's profit that are per share or counts of shares, the most specific first: a
    # count of shares ("Shares used in computing basic net income per share") is not earnings per share
    ("weighted_average_shares_diluted", _GAAP + r"(?!.*\bbasic\b)(?=.*\bdiluted\b)(?:^shares used"
                                        r"|.*weighted[- ]average\b.*\bshares\b)"),
    ("weighted_average_shares", _GAAP + r"(?:^shares used|^(?:basic |diluted )?weighted[- ]average\b.*\bshares\b)"
                                r"|(?:加權|加权)平均.*股"),
    ("adjusted_weighted_average_shares", r"^shares used|weighted[- ]average\b.*\bshares\b"),  # the rest: non-GAAP
    ("dividends_per_share", r"dividends? (?:declared |paid )?" + _PER_SHARE + r"|每股股息|每股派息"),
    ("book_value_per_share", r"book value " + _PER_SHARE + r"|每股(?:淨|净)(?:資產|资产)"),
    ("adjusted_earnings_per_share", r"^(?:non-(?:ifrs|gaap)|adjusted)\b.*" + _PER_SHARE
                                    + r"|(?:經|经)調整.*每股|经调整.*每股|非國際財務報告準則.*每股"),
    ("earnings_per_share_diluted", r"^diluted$|^diluted (?:earnings|eps|net)|^(?!.*\bbasic\b).*\bdiluted\b.*"
                                   + _PER_SHARE + r"|^(?!.*\bbasic\b).*" + _PER_SHARE + r".*\bdiluted\b"
                                   r"|稀釋每股|稀释每股|攤薄每股|摊薄每股"),
    ("earnings_per_share", r"per share|per ordinary share|每股|^(?:basic|diluted)$|^(?:basic|diluted) (?:earnings|eps)"),
    ("adjusted_net_profit", r"^(?:non-(?:ifrs|gaap) (?:measure:? )?)?adjusted net (?:profit|income|loss|earnings)"
                            r"|經調整(?:淨)?(?:利潤|虧損|溢利)|经调整(?:净)?(?:利润|亏损)|非國際財務報告準則.*經調整|^non-gaap net"),
    ("fair_value_changes_preferred_shares", r"convertible redeemable preferred|可轉換可贖回優先股|可转换可赎回优先股"),
    ("income_tax_effects", r"^income tax effects?|所得稅影響|所得税影响"),
    ("share_based_compensation", r"^share-based compensation|^stock-based compensation|以股份為基礎的(?:薪酬|付款)"
                                 r"|以股份为基础的(?:薪酬|付款)|股份支付"),
    ("net_fair_value_gains_on_investments", r"^net fair value (?:gains|changes|losses|\w+/\(\w+\)) on investments"
                                            r"|投資公允價值.*淨額|投资公允价值.*净额"),
    ("amortization_of_intangibles_from_acquisitions", r"amorti[sz]ation of intangible assets (?:resulting )?from "
                                                      r"acquisitions?|收購所產生的無形資產攤銷|收购所产生的无形资产摊销"),
    ("cost_of_sales", r"^(?:total )?cost of (?:sales|(?:net )?revenues?|goods sold|net sales)|^銷售成本|^销售成本|^营业成本$|^營業成本$"),
    ("gross_margin", r"gross (?:profit )?margin ?%|gross profit margin|^毛利率"),
    ("gross_profit", r"^(?:total )?gross (?:profit|margin)$|^毛利$"),
    ("selling_and_marketing_expenses", r"^selling (?:and|&) (?:marketing|distribution)|^銷售及(?:推廣|分銷)|^销售及(?:推广|分销)"),
    ("selling_general_and_administrative_expenses", r"^selling, general,? and administrative"),
    ("administrative_expenses", r"^(?:general and )?administrative(?: and other operating)? expenses|^行政開支|^行政开支"),
    ("research_and_development_expenses", r"^research and development|^研發|^研发"),
    ("fair_value_changes_on_investments", r"^fair value changes? (?:on|of) (?:financial )?(?:investments|instruments)"
                                          r"|^按公允價值計量|^按公允价值计量"),
    ("share_of_results_of_associates", r"^share of (?:net )?(?:\w+ )?(?:results?|profits?|losses?|\w+/\w+) of "
                                       r"(?:investments|associates|joint)|^分佔|^分占|^應佔|^应占"),
    ("other_income", r"^other income$|^其他收入$"),
    ("other_gains_losses", r"^other (?:gains|losses|gains/losses|losses/gains)(?:, net)?$|^其他(?:收益|虧損|亏损)"),
    ("operating_profit", r"^operating (?:profit|income|loss|profit/loss)$|^(?:profit|income|loss) from operations$"
                         r"|^經營(?:利潤|溢利|虧損)|^经营(?:利润|亏损)|^operating income \(loss\)$|^营业利润$|^營業利潤$"),
    ("profit_before_tax", r"before (?:income )?tax|before taxation|before provision for income taxes|^pre-?tax (?:income|profit)$"
                          r"|除所得稅前|除所得税前|除稅前|除税前|^利润总额$|^利潤總額$"),
    ("finance_costs", r"^interest expense$|^finance costs$"),  # beside "Interest income": two lines, not one
    ("finance_income_net", r"^(?:net )?finance (?:income|costs?|expenses?)|^財務(?:收入|費用|成本)|^财务(?:收入|费用|成本)"
                           r"|^interest (?:and other )?(?:income|expense)"),
    ("income_tax", r"^(?:provision for )?income tax(?:es)?(?: expenses?| credit| benefit| \(?expenses?\)?/?credit)?"
                   r"(?: credit/\(?expense\)?)?$|^所得稅|^所得税|^taxation$|^income tax (?:expense|credit)"
                   r"|^provision for (?:income )?taxes$|^income tax(?:es)? provision$"),
    ("profit_for_period", r"^net income including non-?controlling interests?$"
                          r"|^(?:net )?(?:profit|loss|income|earnings)(?: for the (?:year|period))?"
                          r"(?: attributable to (?:owners|equity holders|shareholders) of the company)?$"
                          r"|^本?(?:年度|期間|期内|期內|本期|年內|年内)(?:利潤|溢利|虧損|亏损|利润)|^(?:利潤|溢利)$"
                          r"|^净利润$|^淨利潤$"),
    ("profit_attributable_to_owners", r"^(?:equity holders|owners|shareholders|owner) of the (?:company|parent)"
                                      r"|^net (?:income|profit|earnings) attributable to (?!non)"
                                      r"|^本公司(?:擁有人|权益持有人|權益持有人|拥有人)"
                                      r"|^归属于母公司(?:所有者|股东)的净利润|^歸屬於母公司(?:所有者|股東)的淨利潤"),
    ("profit_attributable_to_nci", r"^non-controlling interests?|^非控制性權益|^非控制性权益|^非控股權益|^少數股東|^少数股东损益"),
    ("revenue", r"^(?:total )?(?:net )?(?:operating )?(?:revenues?|sales|net sales|turnover)(?: net of interest expense)?$"
                r"|^(?:總)?收入$|^(?:总)?收入$|^營業額$"
                r"|^营业总?收入$|^營業總?收入$"
                r"|^营业额$|^revenue from contracts with customers$"),
)

SEGMENTS: Concepts = (
    ("smartphone_x_aiot", r"smartphone ?[×x] ?aiot|手機 ?[×x] ?aiot|手机 ?[×x] ?aiot"),
    ("smart_ev_new_initiatives", r"^smart ev(?:,| and| ai and)? (?:ai )?(?:and )?other new initiatives"
                                 r"|^智能電動汽車(?:及ai)?等創新業務|^智能电动汽车(?:及ai)?等创新业务"),
    ("smart_ev", r"^smart ev$|^智能電動汽車$|^智能电动汽车$"),
    ("smartphones", r"^smartphones?$|^智能手機$|^智能手机$"),
    ("iot_lifestyle", r"^iot and lifestyle products$|^iot與生活消費產品$|^iot与生活消费产品$"),
    ("internet_services", r"^internet services$|^互聯網服務$|^互联网服务$"),
    ("others", r"^others?$|^其他$|^other related business$"),
)

XIAOMI_SEGMENTS = frozenset(item for item, _ in SEGMENTS)

REGIONS: Concepts = (
    ("mainland_china", r"^mainland china$|^the prc$|^prc$|^中國大陸$|^中国大陆$|^中國內地$|^中国内地$|^中國$|^中国$"),
    ("international", r"^international$|^overseas(?: markets)?$|^outside mainland china$|^rest of the world$"
                      r"|^海外(?:市場)?$|^境外$|^國際$|^国际$"),
)

PLACE_WORDS = (r"americas?|europe|asia|pacific|china|japan|africa|middle east|international|domestic|overseas|"
               r"united states|u\.s\.|north america|latin america|mainland|hong kong|singapore|rest of (?:the )?world|"
               r"emea|apac|中國|中国|香港|海外|境外|亞洲|亚洲|歐洲|欧洲")

TOTAL_LABEL = r"^total(?: revenues?| net sales)?$|^合計$|^合计$|^總計$|^总计$|^總額$|^总额$|^總收入$|^总收入$"

STATEMENT_TITLES: tuple[tuple[StatementKind, str], ...] = (
    (StatementKind.NON_GAAP, r"non-(?:ifrs|gaap)|adjusted|非國際財務報告準則|非国际财务报告准则"),
    (StatementKind.SEGMENT_GROSS_PROFIT, r"gross profit (?:and gross (?:profit )?margin )?by|gross (?:profit )?margin by"
                                         r"|分部毛利|按分部劃分的毛利|按分部划分的毛利"),
    (StatementKind.GEOGRAPHY, r"geograph|by region|by market|地區|地区|地理"),
    (StatementKind.SEGMENT_REVENUE, r"by segment|by line of business|segment revenue|by product|分部|按業務|按业务"),
    (StatementKind.KEY_HIGHLIGHTS, r"highlights|key financial|摘要|財務概要|财务概要"),
    (StatementKind.INCOME_STATEMENT, r"income statement|statements? of (?:profit or loss|operations|income|"
                                     r"comprehensive income)|損益表|损益表|綜合收益表|综合收益表|損益及其他全面收益表"),
)

DECOY_CONTEXT = (
    r"market size|industry|frost ?& ?sullivan|\bcagr\b|pro forma|net tangible assets|subsidiar|"
    r"of the company only|company-level|母公司(?:利润|利潤)表|parent company only|行業|行业|市場規模|市场规模|備考|备考|附屬公司|附属公司"
)

# Stronger words, searched also in column headers and the two lines printed just before a table
DECOY_TITLE = (
    r"market size|frost ?& ?sullivan|pro forma|principal subsidiar|of (?:a|the|our) subsidiar|industry overview|"
    r"市場規模|市场规模|備考|备考|主要附屬公司|主要附属公司"
)

PAGE_VOCABULARY = (  # plain words (no groups): locate.py tries each only where its first letter stands
    r"revenue|gross profit|cost of sales|operating profit|profit for the|before income tax|income tax|"
    r"smartphones|iot and lifestyle|internet services|mainland china|overseas|adjusted net|non-ifrs|non-gaap|"
    r"net income|net sales|operating income|收入|毛利|經營利潤|经营利润|除所得稅前|所得稅|經調整|经调整|智能手機|智能手机|"
    r"互聯網服務|互联网服务|营业总收入|营业收入|营业成本|营业利润|利润总额|净利润|營業總收入|營業利潤|利潤總額|淨利潤"
)
