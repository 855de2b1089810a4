"""The duties of Cao Ngọc's 2024 plan (§III.2 and §IV), one row per duty.

Read from docs/ke-hoach-2024.vi.md (the wording, quoted) and
docs/ke-hoach-2024.extract.md §c (tables c.1–c.13: who, what, deliverable, deadline,
recipient). `unit` is a slug of the party registry (extract §c.0); `VILLAGES` ("thon")
stands for every village: `demo.tasks` makes one task per village unit. The quoted
wording leaves out the transcriber's marks ("[sic]", "[?]", footnotes); the plan's own
oddities ("năm 2023", "giai đoạn 2022-2025", "trên trên", "việc việc") stay as written.

Only three deliverables carry a date: the villages' plans "xong trước ngày 15/03/2024",
the four sector reports to UBND xã "trước 25/9/2024" and the water and latrine report to
UBND huyện "trước 30/9/2024". Every other duty runs through 2024: due before 01/01/2025.

Recipient: the plan's own where it names one; otherwise the LĐ-TB&XH officer, to whom
§IV.1 sends every unit's results ("gửi về cán bộ Lao động - Thương binh và Xã hội"), and
UBND xã for the LĐ-TB&XH officer's own duties. Two named recipients have no value of
their own: the Chủ tịch UBND xã, who approves the capital plan (§III.2.9), is read as
UBND xã, and the Ban chỉ đạo giảm nghèo xã, which receives the villages' year-end review
(§III.2.11), as the LĐ-TB&XH officer who keeps its records.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from targets.models import Recipient
from tasks.models import DeliverableKind

YEAR = 2024
VILLAGES = "thon"  # every village unit (thon-1 … thon-N)

REPORT = DeliverableKind.REPORT
PLAN = DeliverableKind.PLAN
LIST = DeliverableKind.LIST
ACTION = DeliverableKind.ACTION

UBND_XA = Recipient.UBND_XA
UBND_HUYEN = Recipient.UBND_HUYEN
LDTBXH = Recipient.LDTBXH


@dataclass(frozen=True)
class Deadline:
    """A due-before date ("trước ngày …": the day before is the last on time)."""

    due_before: date
    text: str


THROUGH_2024 = Deadline(date(2025, 1, 1), "Trong năm 2024 (đến 31/12/2024)")
VILLAGE_PLAN = Deadline(date(2024, 3, 15), "xong trước ngày 15/03/2024")
SECTOR_REPORT_LOOSE = Deadline(date(2024, 9, 25), "trước 25/9/2024")  # §III.2.3
SECTOR_REPORT = Deadline(date(2024, 9, 25), "trước ngày 25/9/2024")  # §III.2.5–2.7
DISTRICT_REPORT = Deadline(date(2024, 9, 30), "trước 30/9/2024")  # §III.2.2


@dataclass(frozen=True)
class Duty:
    """One row of the extract's tables c.1–c.13."""

    unit: str
    title: str
    duty_text: str
    source: str
    kind: DeliverableKind = ACTION
    deadline: Deadline = THROUGH_2024
    recipient: Recipient = LDTBXH
    targets: tuple[str, ...] = ()  # ServiceTarget codes the deliverable reports on


# The sentence §IV.1 addresses to every unit, quoted by three rows below.
IV_1 = (
    "Theo chức năng, nhiệm vụ được giao tại Kế hoạch này khẩn trương xây dựng kế "
    "hoạch, chủ động triển khai thực hiện và báo cáo kết quả định kỳ theo quy định, "
    "gửi về cán bộ Lao động - Thương binh và Xã hội để tổng hợp, báo cáo UBND xã."
)
IV_3 = (
    "Trong quá trình tổ chức thực hiện Kế hoạch này, nếu cần sửa đổi, bổ sung những "
    "nội dung, nhiệm vụ các Công chức, ban, ngành; các tổ chức chính trị xã hội; các "
    "thôn chủ động đề xuất gửi về UBND xã (qua Cán bộ Lao động - Thương binh và Xã "
    "hội) để tổng hợp xem xét, giải quyết."
)

DUTIES: tuple[Duty, ...] = (
    # c.1 ldtbxh: Công chức Lao động - Thương binh và Xã hội (§III.2.1, §IV)
    Duty(
        "ldtbxh",
        "Tham mưu xây dựng Chương trình giảm nghèo và an sinh xã hội",
        "Tham mưu xây dựng Chương trình giảm nghèo và an sinh xã hội theo hướng dẫn "
        "của huyện, phù hợp với tình hình thực tế tại địa phương.",
        "§III.2.1",
        PLAN,
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Tham mưu chỉ đạo, điều hành thực hiện kế hoạch giảm nghèo",
        "Tổng hợp, tham mưu cho UBND xã tổ chức chỉ đạo, quản lý, điều hành thực hiện "
        "kế hoạch giảm nghèo trên địa bàn xã.",
        "§III.2.1",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Tổng hợp, báo cáo tình hình thực hiện giảm nghèo",
        "Tổng hợp, báo cáo tình hình thực hiện giảm nghèo trên địa bàn xã theo quy "
        "định.",
        "§III.2.1",
        REPORT,
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Điều tra, lập danh sách và quản lý hộ nghèo",
        "Phối hợp với các ban, ngành đoàn thể, các thôn điều tra, lập danh sách và "
        "quản lý đối tượng hộ nghèo",
        "§III.2.1",
        LIST,
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Hướng dẫn các thôn xây dựng và thực hiện kế hoạch giảm nghèo",
        "nghiên cứu cơ chế chính sách, chỉ đạo hướng dẫn các thôn xây dựng và thực "
        "hiện kế hoạch giảm nghèo.",
        "§III.2.1",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Hướng dẫn các thôn thực hiện mô hình giảm nghèo",
        "Hướng dẫn các thôn được phân bổ vốn thực hiện mô hình giảm nghèo thuộc Chương "
        "trình mục tiêu quốc gia giảm nghèo bền vững",
        "§III.2.1",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Truyền thông về giảm nghèo",
        "triển khai công tác truyền thông về giảm nghèo",
        "§III.2.1",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Nâng cao năng lực, giám sát đánh giá chương trình giảm nghèo",
        "nâng cao năng lực, giám sát đánh giá chương trình giảm nghèo năm 2023",
        "§III.2.1",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Nâng cao chất lượng đào tạo nghề cho lao động nông thôn",
        "nâng cao chất lượng đào tạo nghề cho lao động nông thôn",
        "§III.2.1",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Thông tin thị trường lao động, kết nối cung - cầu lao động",
        "nâng cao năng lực dự báo và thông tin thị trường lao động, kết nối cung - cầu "
        "lao động, tạo cơ hội việc làm cho người lao động.",
        "§III.2.1",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Tham mưu phương án hỗ trợ, cứu trợ đột xuất khi có thiên tai",
        "Thường xuyên nắm bắt tình hình đời sống nhân dân để kịp thời tham mưu UBND xã "
        "các phương án hỗ trợ, cứu trợ đột xuất nếu xảy ra tình trạng thiên tai làm "
        "ảnh hưởng nặng nề đến đời sống của người dân.",
        "§III.2.1",
        PLAN,
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Phối hợp về giảm nghèo về thông tin và lập danh sách hộ nghèo, cận nghèo",
        "Chủ trì phối hợp với công chức Lao động - Thương binh và Xã hội hướng dẫn "
        "triển khai thực hiện nhiệm vụ giảm nghèo về thông tin thuộc CTMTQG GNBV năm "
        "2024 … Phối hợp với Công chức Lao động - TB&XH tổ chức điều tra và lập danh "
        "sách hộ nghèo, hộ cận nghèo",
        "§III.2.3; §III.2.4",
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Tổng hợp báo cáo định kỳ của các đơn vị, báo cáo UBND xã",
        IV_1,
        "§IV.1",
        REPORT,
        recipient=UBND_XA,
    ),
    Duty(
        "ldtbxh",
        "Tổng hợp đề xuất sửa đổi, bổ sung kế hoạch",
        IV_3,
        "§IV.3",
        recipient=UBND_XA,
    ),
    # c.2 dcnn: Công chức Địa chính - Nông nghiệp (§III.2.2)
    Duty(
        "dcnn",
        "Hướng dẫn dự án, chương trình khuyến nông - lâm cho hộ nghèo",
        "Hướng dẫn thực hiện các dự án, chương trình khuyến nông - lâm cho hộ nghèo",
        "§III.2.2",
    ),
    Duty(
        "dcnn",
        "Phát triển các ngành nghề nông thôn",
        "phát triển các ngành nghề nông thôn",
        "§III.2.2",
    ),
    Duty(
        "dcnn",
        "Chương trình nước sạch và vệ sinh môi trường nông thôn",
        "chương trình nước sạch và vệ sinh môi trường nông thôn",
        "§III.2.2",
    ),
    Duty(
        "dcnn",
        "Phát triển tổ hợp tác, hợp tác xã có người nghèo tham gia",
        "phối hợp xây dựng phát triển các tổ hợp tác và hợp tác xã nông nghiệp có sự "
        "tham gia của người nghèo, hộ nghèo.",
        "§III.2.2",
    ),
    Duty(
        "dcnn",
        "Chỉ đạo chuyển đổi cơ cấu cây trồng",
        "Tập trung chỉ đạo các thôn thực hiện chuyển đổi cơ cấu cây trồng phù hợp với "
        "lợi thế và nhu cầu thị trường; chuyển đổi đất trồng lúa, mía, sắn kém hiệu "
        "quả sang trồng cây khác có hiệu quả cao hơn",
        "§III.2.2",
    ),
    Duty(
        "dcnn",
        "Phát triển chăn nuôi an toàn, bền vững cho hộ nghèo",
        "phát triển chăn nuôi theo hướng trang trại tập trung, nâng cao hiệu quả chăn "
        "nuôi nông hộ theo hướng an toàn, bền vững cho người dân, nhất là hộ nghèo, hộ "
        "cận nghèo, người dân tộc thiểu số nhằm nâng cao đời sống, giúp người dân "
        "thoát nghèo bền vững.",
        "§III.2.2",
    ),
    Duty(
        "dcnn",
        "Hướng dẫn dự án hỗ trợ phát triển sản xuất, đa dạng hóa sinh kế",
        "Chủ trì tham mưu cho UBND xã hướng dẫn các thôn thực hiện các dự án hỗ trợ "
        "phát triển sản xuất, đa dạng hóa sinh kế thuộc Chương trình mục tiêu giảm "
        "nghèo quốc gia, giảm nghèo bền vững năm 2024,",
        "§III.2.2",
        recipient=UBND_XA,
    ),
    Duty(
        "dcnn",
        "Kế hoạch kiểm tra, giám sát, đánh giá các dự án sinh kế",
        "Xây dựng kế hoạch kiểm tra, giám sát, đánh giá hiệu quả, mức độ tác động thực "
        "hiện các chỉ tiêu giảm nghèo của các dự án hỗ trợ phát triển sản xuất, đa "
        "dạng hóa sinh kế thuộc Chương trình mục tiêu giảm nghèo quốc gia, giảm nghèo "
        "bền vững giai đoạn 2022-2025.",
        "§III.2.2",
        PLAN,
    ),
    Duty(
        "dcnn",
        "Báo cáo chỉ tiêu nước sinh hoạt và nhà tiêu hợp vệ sinh năm 2024",
        "Đánh giá kết quả thực hiện các chỉ tiêu về nguồn nước sinh hoạt và hố xí/nhà "
        "tiêu hợp vệ sinh của hộ nghèo năm 2024, báo cáo UBND huyện trước 30/9/2024.",
        "§III.2.2",
        REPORT,
        DISTRICT_REPORT,
        UBND_HUYEN,
        ("2", "5"),
    ),
    # c.3 vhtt: Công chức Văn hóa thông tin (§III.2.3)
    Duty(
        "vhtt",
        "Hướng dẫn nhiệm vụ giảm nghèo về thông tin",
        "Chủ trì phối hợp với công chức Lao động - Thương binh và Xã hội hướng dẫn "
        "triển khai thực hiện nhiệm vụ giảm nghèo về thông tin thuộc CTMTQG GNBV năm "
        "2024",
        "§III.2.3",
    ),
    Duty(
        "vhtt",
        "Tham mưu thực hiện chỉ tiêu tiếp cận thông tin ở các thôn",
        "tham mưu thực hiện các chỉ tiêu giảm nghèo về tiếp cận dịch vụ xã hội cơ bản "
        "về thông tin năm 2024 cho các thôn đảm bảo đến năm 2024 đạt mục tiêu kế hoạch "
        "đề ra.",
        "§III.2.3",
    ),
    Duty(
        "vhtt",
        "Tham mưu đầu tư, nâng cấp Đài truyền thanh xã",
        "Tham mưu đầu tư mới và nâng cấp sửa chữa hệ thống Đài truyền thanh xã",
        "§III.2.3",
        PLAN,
        recipient=UBND_XA,
    ),
    Duty(
        "vhtt",
        "Trang bị phương tiện thông tin cổ động tại các thôn",
        "trang bị phương tiện thông tin cổ động tại các thôn, xã phục vụ công tác "
        "thông tin tuyên truyền nhiệm vụ chính trị ở các địa phương.",
        "§III.2.3",
    ),
    Duty(
        "vhtt",
        "Xây dựng chương trình phát thanh tuyên truyền",
        "Xây dựng các chương trình phát thanh tuyên truyền về các chủ trương, đường "
        "lối của Đảng, chính sách pháp luật của Nhà nước; những kiến thức, kinh "
        "nghiệm, tiến bộ khoa học kỹ thuật phục vụ cho phát triển kinh tế gia đình, hỗ "
        "trợ người nghèo vươn lên làm giàu.",
        "§III.2.3",
    ),
    Duty(
        "vhtt",
        "Báo cáo chỉ tiêu tiếp cận thông tin năm 2024",
        "Báo cáo kết quả thực hiện các chỉ tiêu về tiếp cận thông tin năm 2024 báo cáo "
        "UBND xã trước 25/9/2024.",
        "§III.2.3",
        REPORT,
        SECTOR_REPORT_LOOSE,
        UBND_XA,
        ("6",),
    ),
    # c.4 vptk: Công chức Văn phòng thống kê (§III.2.4)
    Duty(
        "vptk",
        "Tuyên truyền, vận động hộ nghèo, cận nghèo dân tộc thiểu số",
        "Chủ trì phối hợp với các đơn vị liên quan và các thôn tuyên truyền, vận động "
        "hộ nghèo, cận nghèo dân tộc thiểu số, xóa bỏ các phong tục lạc hậu, mê tín dị "
        "đoan và tự vươn lên thoát nghèo.",
        "§III.2.4",
    ),
    Duty(
        "vptk",
        "Thực hiện chính sách hỗ trợ đặc thù đối với các thôn",
        "Thực hiện kịp thời, đầy đủ, đúng quy định các chính sách hỗ trợ đặc thù phát "
        "triển kinh tế - xã hội đối với các thôn.",
        "§III.2.4",
    ),
    Duty(
        "vptk",
        "Điều tra, lập danh sách hộ nghèo, hộ cận nghèo",
        "Phối hợp với Công chức Lao động - TB&XH tổ chức điều tra và lập danh sách hộ "
        "nghèo, hộ cận nghèo",
        "§III.2.4",
        LIST,
    ),
    Duty(
        "vptk",
        "Hướng dẫn nghiệp vụ điều tra, xử lý dữ liệu thực trạng nghèo",
        "hướng dẫn về nghiệp vụ điều tra và xử lý báo cáo các dữ liệu thực trạng nghèo "
        "của xã.",
        "§III.2.4",
        REPORT,
    ),
    # c.5 nha_truong: Các nhà trường (§III.2.5)
    Duty(
        "nha_truong",
        "Ban hành kế hoạch thực hiện nhiệm vụ năm 2024 của nhà trường",
        "Ban hành kế hoạch triển khai thực hiện nhiệm vụ của đơn vị năm 2024, trong đó "
        "thực hiện chỉ tiêu tiếp cận dịch vụ xã hội cơ bản về giáo dục nhằm phấn đấu "
        "đạt mục tiêu không còn tình trạng trẻ em không đi học theo kế hoạch đã đề ra.",
        "§III.2.5",
        PLAN,
    ),
    Duty(
        "nha_truong",
        "Miễn, giảm học phí, hỗ trợ học tập cho học sinh nghèo, cận nghèo, DTTS",
        "Thực hiện đầy đủ chính sách miễn, giảm học phí, hỗ trợ học tập, đối với học "
        "sinh thuộc hộ nghèo, cận nghèo, người dân tộc thiểu số.",
        "§III.2.5",
    ),
    Duty(
        "nha_truong",
        "Báo cáo chỉ tiêu tiếp cận giáo dục năm 2024",
        "Báo cáo kết quả thực hiện các chỉ tiêu tiếp cận các dịch vụ xã hội cơ bản về "
        "giáo dục năm 2024, báo cáo UBND xã trước ngày 25/9/2024.",
        "§III.2.5",
        REPORT,
        SECTOR_REPORT,
        UBND_XA,
        ("1",),
    ),
    # c.6 tram_y_te: Trạm Y tế xã (§III.2.6)
    Duty(
        "tram_y_te",
        "Tham mưu hỗ trợ hộ nghèo, cận nghèo tiếp cận dịch vụ y tế",
        "Tham mưu UBND xã ban hành văn bản và hướng dẫn các địa phương thực hiện hỗ "
        "trợ hộ nghèo, hộ cận nghèo tiếp cận các dịch vụ xã hội cơ bản về y tế năm "
        "2024,",
        "§III.2.6",
        recipient=UBND_XA,
    ),
    Duty(
        "tram_y_te",
        "Vận động tham gia BHYT, nhất là hộ cận nghèo",
        "Chủ trì phối hợp với Cơ quan Bảo hiểm xã hội huyện và các ngành có liên quan "
        "tăng cường truyền thông, vận động người dân tham gia BHYT, đặc biệt là đối "
        "tượng thuộc hộ cận nghèo, phấn đấu đạt 100% hộ cận nghèo tham gia BHYT vào "
        "cuối năm 2024.",
        "§III.2.6",
    ),
    Duty(
        "tram_y_te",
        "Hỗ trợ phụ nữ DTTS thuộc hộ nghèo sinh con đúng chính sách",
        "Phối hợp với Trung tâm y tế huyện tiếp tục thực hiện tốt chính sách hỗ trợ "
        "phụ nữ thuộc hộ nghèo là người dân tộc thiểu số sinh con đúng chính sách dân "
        "số.",
        "§III.2.6",
    ),
    Duty(
        "tram_y_te",
        "Báo cáo chỉ tiêu tiếp cận y tế năm 2024",
        "Báo cáo kết quả thực hiện các chỉ tiêu tiếp cận các dịch vụ xã hội cơ bản về "
        "y tế năm 2024, báo cáo UBND xã trước ngày 25/9/2024.",
        "§III.2.6",
        REPORT,
        SECTOR_REPORT,
        UBND_XA,
        ("3",),
    ),
    # c.7 dcxd: Công chức Địa chính - Xây dựng (§III.2.7)
    Duty(
        "dcxd",
        "Tham mưu thực hiện chỉ tiêu nhà ở cho các thôn, làng",
        "Chủ trì tham mưu thực hiện chỉ tiêu giảm nghèo tiếp cận dịch vụ xã hội cơ bản "
        "về nhà ở năm 2024 cho các thôn, làng đảm bảo đến năm 2024 đạt mục tiêu Kế "
        "hoạch đề ra.",
        "§III.2.7",
    ),
    Duty(
        "dcxd",
        "Hỗ trợ nhà ở đối với hộ nghèo",
        "Đẩy mạnh thực hiện chính sách hỗ trợ nhà ở đối với hộ nghèo",
        "§III.2.7",
    ),
    Duty(
        "dcxd",
        "Hỗ trợ nhà ở cho người có công với cách mạng",
        "chính sách hỗ trợ người có công với cách mạng về nhà ở",
        "§III.2.7",
    ),
    Duty(
        "dcxd",
        "Nâng cao an toàn chỗ ở, ứng phó bão, lũ, lụt",
        "các giải pháp hỗ trợ hộ nghèo nâng cao điều kiện an toàn chỗ ở, ứng phó với "
        "bão, lũ, lụt",
        "§III.2.7",
    ),
    Duty(
        "dcxd",
        "Xóa nhà đơn sơ, nhà thiếu kiên cố",
        "xóa bỏ tình trạng hộ không có nhà ở, hộ phải sống trong nhà đơn sơ, nhà thiếu "
        "kiên cố",
        "§III.2.7",
    ),
    Duty(
        "dcxd",
        "Bảo đảm diện tích nhà ở từ 8m²/người",
        "đảm bảo diện tích nhà ở tối thiểu từ 8m²/người trở lên.",
        "§III.2.7",
    ),
    Duty(
        "dcxd",
        "Báo cáo chỉ tiêu nhà ở năm 2024",
        "Báo cáo kết quả thực hiện các chỉ tiêu về nhà ở năm 2024, báo cáo UBND xã "
        "trước ngày 25/9/2024.",
        "§III.2.7",
        REPORT,
        SECTOR_REPORT,
        UBND_XA,
        ("4a", "4b"),
    ),
    # c.8 tpht: Công chức Tư pháp - Hộ tịch (§III.2.8)
    Duty(
        "tpht",
        "Trợ giúp pháp lý cho người nghèo",
        "Triển khai Chương trình trợ giúp pháp lý cho người nghèo và các hỗ trợ pháp "
        "lý liên quan đến người nghèo.",
        "§III.2.8",
    ),
    Duty(
        "tpht",
        "Tuyên truyền, phổ biến chính sách, hỗ trợ thông tin pháp lý",
        "Đẩy mạnh công tác tuyên truyền, phổ biến chính sách, trợ giúp pháp lý, cung "
        "cấp các dịch vụ, hỗ trợ thông tin để người nghèo, người cận nghèo, được tiếp "
        "cận kịp thời, đầy đủ thông tin cần thiết, góp phần nâng cao nhận thức và "
        "trách nhiệm của một số bộ phận người nghèo chủ động vươn lên thoát nghèo bền "
        "vững.",
        "§III.2.8",
    ),
    # c.9 ktns: Công chức Kế toán - Ngân sách (§III.2.9)
    Duty(
        "ktns",
        "Kế hoạch vốn đầu tư thực hiện chương trình giảm nghèo",
        "Chủ trì, phối hợp với các Ban, ngành, công chức có liên quan tham mưu bố trí "
        "kế hoạch vốn đầu tư thực hiện chương trình giảm nghèo hằng năm, trình Chủ "
        "tịch UBND xã phê duyệt để thực hiện Chương trình giảm nghèo",
        "§III.2.9",
        PLAN,
        recipient=UBND_XA,
    ),
    Duty(
        "ktns",
        "Thẩm tra, thanh quyết toán các nguồn vốn",
        "thẩm tra và thanh quyết toán các nguồn vốn trên trên địa bàn.",
        "§III.2.9",
        REPORT,
    ),
    # c.10 ctxh: Các tổ chức chính trị - xã hội (§III.2.10, §III.1.7, §IV.1)
    Duty(
        "ctxh",
        "Giám sát, huy động nguồn lực giúp hộ vươn lên thoát nghèo",
        "Căn cứ vào Kế hoạch và chỉ tiêu của xã nói chung và giao tổ chức đoàn thể nói "
        "riêng, tăng cường giám sát và sẵn sàng mọi nguồn lực trong khả năng để giúp "
        "đỡ các hộ vươn lên thoát nghèo.",
        "§III.2.10",
    ),
    Duty(
        "ctxh",
        "Phối hợp Ngân hàng Chính sách về tín dụng ưu đãi",
        "Phối hợp với Ngân hàng Chính sách thực hiện đầy đủ nguồn tín dụng ưu đãi cho "
        "hộ nghèo và các đối tượng chính sách theo đúng quy định của Nhà nước.",
        "§III.2.10",
    ),
    Duty(
        "ctxh",
        "Giúp hộ nghèo, cận nghèo tiếp cận vốn vay ưu đãi",
        "Tạo điều kiện thuận lợi cho hộ nghèo, hộ cận nghèo có nhu cầu vay vốn được "
        "tiếp cận các nguồn tín dụng ưu đãi để phục vụ sản xuất, kinh doanh tự tạo "
        "việc làm, tăng thu nhập",
        "§III.2.10",
    ),
    Duty(
        "ctxh",
        "Giám sát sử dụng vốn vay, thu nợ đúng kỳ hạn",
        "giám sát việc sử dụng vốn vay, thu nợ đảm bảo đúng kỳ hạn, quay vốn nhanh và "
        "có hiệu quả.",
        "§III.2.10",
    ),
    Duty(
        "ctxh",
        "Các cuộc vận động, phong trào thi đua và Quỹ “Vì người nghèo”",
        "Nâng cao vai trò, trách nhiệm của Ủy ban Mặt trận Tổ quốc và các tổ chức "
        "chính trị - xã hội trong việc triển khai, thực hiện các cuộc vận động, các "
        "phong trào thi đua yêu nước; tuyên truyền, vận động nguồn lực giúp đỡ hộ "
        "nghèo phát triển kinh tế giảm nghèo bền vững; tiếp tục đẩy mạnh thực hiện "
        "phong trào quyên góp "
        'ủng hộ Quỹ "Vì người nghèo".',
        "§III.1.7",
    ),
    Duty(
        "ctxh",
        "Xây dựng kế hoạch của đoàn thể, báo cáo kết quả định kỳ",
        IV_1,
        "§IV.1",
        REPORT,
    ),
    # c.11 thon: Các thôn, làng (§III.2.11), one task per village
    Duty(
        VILLAGES,
        "Xây dựng kế hoạch giảm nghèo năm 2024 của thôn",
        "Căn cứ chỉ tiêu giảm nghèo và chỉ tiêu tiếp cận các dịch vụ xã hội cơ bản "
        "được xã giao, xây dựng Kế hoạch thực hiện Chương trình giảm nghèo nhanh và "
        "bền vững năm 2024, xong trước ngày 15/03/2024. Trong đó, phải xác định được "
        "cụ thể các phương án, giải pháp và nguồn lực dự kiến hỗ trợ đến từng hộ nghèo "
        "nhằm giúp hộ nghèo thoát nghèo bền vững; phân công cụ thể các chi hội, các cá "
        "nhân ở thôn trực tiếp giúp đỡ khắc phục các nguyên nhân nghèo và hỗ trợ tiếp "
        "cận các dịch vụ xã hội cơ bản cho từng hộ nghèo (kèm theo danh sách dự kiến "
        "thoát nghèo năm 2024).",
        "§III.2.11",
        PLAN,
        VILLAGE_PLAN,
    ),
    Duty(
        VILLAGES,
        "Tổ chức triển khai kế hoạch giảm nghèo của thôn",
        "Dựa trên các chỉ tiêu giảm nghèo, chỉ tiêu tiếp cận các dịch vụ xã hội cơ bản "
        "đã được phê duyệt, xây dựng và tổ chức triển khai Kế hoạch giảm nghèo phù hợp "
        "tình hình phát triển kinh tế - xã hội của địa phương.",
        "§III.2.11",
    ),
    Duty(
        VILLAGES,
        "Vận động xây dựng Quỹ Vì người nghèo, xã hội hóa giảm nghèo",
        "Phối hợp chặt chẽ với các chi hội thôn tiếp tục tuyên truyền, vận động đoàn "
        "viên, hội viên và nhân dân tích cực chung sức tham gia thực hiện giảm nghèo "
        "bền vững; đẩy mạnh cuộc vận động ủng hộ, xây dựng Quỹ Vì người nghèo, tiếp "
        "tục làm tốt công tác xã hội hóa về giảm nghèo",
        "§III.2.11",
    ),
    Duty(
        VILLAGES,
        "Hướng dẫn hộ nghèo lập phương án sản xuất, kinh doanh",
        "hướng dẫn hộ nghèo lập phương án và tổ chức sản xuất, kinh doanh có hiệu quả, "
        "phù hợp với quy hoạch phát triển kinh tế - xã hội từng địa phương và theo khả "
        "năng quy mô, trình độ sản xuất từng hộ.",
        "§III.2.11",
        PLAN,
    ),
    Duty(
        VILLAGES,
        "Nắm chắc diễn biến hộ nghèo, nguyên nhân nghèo của từng hộ",
        "Quản lý nắm chắc diễn biến hộ nghèo của thôn, đặc biệt nắm chắc nguyên nhân "
        "dẫn đến nghèo, thiếu hụt các chỉ số của từng hộ để có các biện pháp hỗ trợ "
        "kịp thời.",
        "§III.2.11",
    ),
    Duty(
        VILLAGES,
        "Rà soát tăng giảm hộ nghèo cuối năm, báo cáo Ban chỉ đạo giảm nghèo xã",
        "Tổ chức rà soát tăng giảm hộ nghèo cuối năm và kịp thời báo cáo Ban chỉ đạo "
        "giảm nghèo xã.",
        "§III.2.11",
        REPORT,
    ),
    Duty(
        VILLAGES,
        "Khuyến khích, khen thưởng người nghèo, cận nghèo, DTTS tích cực học tập",
        "Khích lệ, động viên, khen thưởng người nghèo, cận nghèo, người dân tộc thiểu "
        "số tích cực học tập, nâng cao trình độ thông qua các phong trào học tập suốt "
        "đời trong gia đình, dòng họ, cộng đồng đến năm 2024, gắn với xây dựng thôn "
        "văn hóa đạt chuẩn nông thôn mới và chuẩn xã hội học tập.",
        "§III.2.11",
    ),
    Duty(
        VILLAGES,
        "Kiểm tra, giám sát việc sử dụng nguồn hỗ trợ, vốn vay",
        "Kiểm tra, giám sát các hộ trong việc việc thực hiện các chế độ, chính sách, "
        "việc sử dụng các nguồn hỗ trợ, nguồn vốn vay cho người nghèo, đảm bảo hiệu "
        "quả; không để xảy ra tình trạng cán bộ sử dụng nguồn vốn sai mục đích.",
        "§III.2.11",
    ),
    # c.12 mttq: Ủy ban MTTQ xã (§IV.2, §III.1.5); "Đề nghị", requested
    Duty(
        "mttq",
        "Tuyên truyền về Chương trình giảm nghèo và Kế hoạch",
        "Đẩy mạnh công tác tuyên truyền về Chương trình giảm nghèo và nội dung của Kế "
        "hoạch này",
        "§IV.2",
    ),
    Duty(
        "mttq",
        "Hưởng ứng các phong trào, cuộc vận động và “Quỹ vì người nghèo”",
        'tiếp tục hưởng ứng phong trào "Cả nước chung tay vì người nghèo - Không để ai '
        'bị bỏ lại phía sau"; Cuộc vận động "Toàn dân đoàn kết xây dựng nông thôn '
        'mới, đô thị văn minh", "Quỹ vì người nghèo"',
        "§IV.2",
    ),
    Duty(
        "mttq",
        "Thi đua thực hiện mục tiêu Nghị quyết Đại hội Đảng bộ huyện",
        "thi đua thực hiện thắng lợi các mục tiêu phát triển kinh tế - xã hội theo "
        "Nghị quyết Đại hội Đảng bộ huyện đã đề ra.",
        "§IV.2",
    ),
    Duty(
        "mttq",
        "Vận động tổ chức, cá nhân giúp đỡ hộ nghèo, cận nghèo",
        "Vận động các tổ chức, cá nhân tham gia giúp đỡ người nghèo, hộ nghèo, cận "
        "nghèo khắc phục các nguyên nhân nghèo, vươn lên thoát nghèo bền vững theo kế "
        "hoạch giảm nghèo của địa phương.",
        "§IV.2",
    ),
    Duty(
        "mttq",
        "Giám sát công tác giảm nghèo của từng thôn",
        "Phối hợp tổ chức thực hiện việc giám sát công tác giảm nghèo của từng thôn.",
        "§IV.2",
        REPORT,
    ),
    Duty(
        "mttq",
        "Kiểm tra, giám sát việc thực hiện chương trình giảm nghèo",
        "Tăng cường công tác kiểm tra, giám sát của các cấp ủy, chính quyền, Mặt trận "
        "Tổ quốc và các đoàn thể đối với việc thực hiện chương trình, kế hoạch giảm "
        "nghèo nhanh và bền vững.",
        "§III.1.5",
    ),
    # c.13 all_units: Các công chức chuyên môn, ban, ngành đoàn thể xã (§IV.1, §IV.3)
    Duty(
        "all_units",
        "Xây dựng kế hoạch thực hiện của từng đơn vị",
        "Theo chức năng, nhiệm vụ được giao tại Kế hoạch này khẩn trương xây dựng kế "
        "hoạch, chủ động triển khai thực hiện",
        "§IV.1",
        PLAN,
    ),
    Duty(
        "all_units",
        "Báo cáo kết quả định kỳ về cán bộ LĐ-TB&XH",
        "chủ động triển khai thực hiện và báo cáo kết quả định kỳ theo quy định, gửi "
        "về cán bộ Lao động - Thương binh và Xã hội để tổng hợp, báo cáo UBND xã.",
        "§IV.1",
        REPORT,
    ),
    Duty(
        "all_units",
        "Kiểm tra, giám sát; đề xuất xử lý vi phạm chính sách giảm nghèo",
        "Tăng cường công tác kiểm tra, giám sát việc triển khai thực hiện; báo cáo "
        "UBND xã phương án xử lý nghiêm các vi phạm trong thực hiện chính sách giảm "
        "nghèo (nếu có).",
        "§IV.1",
        REPORT,
        recipient=UBND_XA,
    ),
    Duty(
        "all_units",
        "Đề xuất sửa đổi, bổ sung kế hoạch khi cần",
        IV_3,
        "§IV.3",
    ),
    Duty(
        "all_units",
        "Thành viên Ban chỉ đạo giúp các thôn được phân công đạt mục tiêu",
        "Yêu cầu các thành viên Ban chỉ đạo giảm nghèo xã được phân công phải phối hợp "
        "với các thôn để có những hoạt động hỗ trợ thiết thực, cụ thể tạo mọi điều "
        "kiện để giúp đỡ các thôn, làng được phân công đạt mục tiêu giảm nghèo trong "
        "năm.",
        "§III.1.6",
    ),
)
