"""Write households/data/bang-diem-b1-mau.xlsx, the SAMPLE Phiếu B1 points table of
the demo (Bắc Trung Bộ và Duyên hải miền Trung, nông thôn, chuẩn 2022-2025).

The official item-by-item table of Thông tư 07/2021/TT-BLĐTBXH was not found: the
items follow the characteristics the circular scores (DOMAIN.md §3.7) and the points
are invented for the demo. Run: .venv/bin/python scripts/make_sample_points_table.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

OUT = Path(__file__).resolve().parent.parent / "households/data/bang-diem-b1-mau.xlsx"

INFO = [
    ("Chuẩn nghèo", "2022-2025"),
    ("Vùng", "Bắc Trung Bộ và Duyên hải miền Trung"),
    ("Khu vực", "Nông thôn"),
    ("Tên bảng", "Bảng điểm mẫu — chưa đối chiếu văn bản gốc"),
    (
        "Nguồn",
        "Mẫu của phần mềm, dựng theo các đặc điểm Phiếu B1 của Thông tư "
        "07/2021/TT-BLĐTBXH; điểm số tự đặt, không phải của văn bản",
    ),
    ("Đã đối chiếu văn bản gốc", "Không"),
    (
        "Ghi chú",
        "Chỉ dùng để chạy thử. Nạp bảng điểm do tỉnh ban hành trước khi rà soát thật.",
    ),
]

# (item code, question, [(answer code, answer, points)])
ITEMS: list[tuple[str, str, list[tuple[str, str, int]]]] = [
    (
        "so_nhan_khau",
        "Số nhân khẩu của hộ",
        [
            ("1", "1 người", 45),
            ("2", "2 người", 35),
            ("3", "3 người", 25),
            ("4", "4 người", 15),
            ("5", "5 người", 10),
            ("6", "6 người trở lên", 0),
        ],
    ),
    (
        "phu_thuoc",
        "Số người phụ thuộc (trẻ em dưới 16 tuổi, người cao tuổi, người "
        "khuyết tật không có khả năng lao động)",
        [
            ("0", "Không có", 10),
            ("1", "1 người", 5),
            ("2", "Từ 2 người trở lên", 0),
        ],
    ),
    (
        "bang_cap",
        "Bằng cấp cao nhất của thành viên hộ",
        [
            ("cao_dang", "Cao đẳng trở lên", 15),
            ("trung_cap", "Trung cấp, trung học chuyên nghiệp", 10),
            ("thpt", "Trung học phổ thông", 5),
            ("khac", "Dưới trung học phổ thông", 0),
        ],
    ),
    (
        "viec_lam",
        "Thành viên làm việc phi nông nghiệp (từ 3 tháng trong 12 tháng qua)",
        [
            (
                "cong_chuc",
                "Công chức, viên chức, làm việc trong doanh nghiệp nhà nước",
                15,
            ),
            ("khac", "Việc làm phi nông nghiệp khác", 10),
            ("khong", "Không có", 0),
        ],
    ),
    (
        "luong_huu",
        "Lương hưu, trợ cấp mất sức lao động",
        [
            ("0", "Không có người hưởng", 0),
            ("1", "1 người hưởng", 10),
            ("2", "Từ 2 người hưởng trở lên", 20),
        ],
    ),
    (
        "tuong",
        "Vật liệu chính của tường nhà",
        [
            ("ben_chac", "Bê tông, gạch/đá, xi măng, gỗ bền chắc", 5),
            ("khac", "Vật liệu khác", 0),
        ],
    ),
    (
        "cot",
        "Vật liệu chính của cột (khung) nhà",
        [
            ("ben_chac", "Bê tông cốt thép, gạch/đá, sắt/thép/gỗ bền chắc", 5),
            ("khac", "Vật liệu khác", 0),
        ],
    ),
    (
        "mai",
        "Vật liệu chính của mái nhà",
        [
            ("ben_chac", "Bê tông cốt thép, ngói, tôn", 5),
            ("khac", "Vật liệu khác", 0),
        ],
    ),
    (
        "dien_tich",
        "Diện tích ở bình quân đầu người",
        [
            ("duoi_8", "Dưới 8 m²", 0),
            ("8_20", "Từ 8 đến dưới 20 m²", 5),
            ("20_30", "Từ 20 đến dưới 30 m²", 10),
            ("30_40", "Từ 30 đến dưới 40 m²", 15),
            ("tu_40", "Từ 40 m² trở lên", 20),
        ],
    ),
    (
        "dien",
        "Điện tiêu thụ bình quân một tháng của cả hộ",
        [
            ("duoi_25", "Dưới 25 kWh", 0),
            ("25_50", "Từ 25 đến dưới 50 kWh", 5),
            ("50_100", "Từ 50 đến dưới 100 kWh", 10),
            ("100_150", "Từ 100 đến dưới 150 kWh", 15),
            ("tu_150", "Từ 150 kWh trở lên", 20),
        ],
    ),
    (
        "nuoc",
        "Nước sinh hoạt",
        [
            ("may", "Nước máy, nước mua", 5),
            ("gieng", "Giếng khoan, giếng đào", 3),
            ("khac", "Nguồn khác", 0),
        ],
    ),
    ("o_to", "Ô tô", [("co", "Có", 30), ("khong", "Không", 0)]),
    (
        "xe_may",
        "Xe máy",
        [
            ("0", "Không có", 0),
            ("1", "1 chiếc", 5),
            ("2", "Từ 2 chiếc trở lên", 10),
        ],
    ),
    ("tu_lanh", "Tủ lạnh", [("co", "Có", 5), ("khong", "Không", 0)]),
    ("dieu_hoa", "Điều hòa nhiệt độ", [("co", "Có", 10), ("khong", "Không", 0)]),
    ("may_giat", "Máy giặt", [("co", "Có", 5), ("khong", "Không", 0)]),
    ("tivi", "Ti vi màu", [("co", "Có", 3), ("khong", "Không", 0)]),
    ("may_tinh", "Máy vi tính", [("co", "Có", 5), ("khong", "Không", 0)]),
    ("dien_thoai", "Điện thoại thông minh", [("co", "Có", 3), ("khong", "Không", 0)]),
    (
        "trau_bo",
        "Trâu, bò, ngựa",
        [
            ("0", "Không có", 0),
            ("1_2", "1–2 con", 5),
            ("tu_3", "Từ 3 con trở lên", 10),
        ],
    ),
]


def main() -> None:
    workbook = Workbook()
    info = workbook.active
    assert info is not None
    info.title = "Thông tin"
    for key, value in INFO:
        info.append([key, value])
    table = workbook.create_sheet("Bảng điểm")
    table.append(["Mã câu", "Câu hỏi", "Mã trả lời", "Trả lời", "Điểm"])
    for code, question, answers in ITEMS:
        for index, (answer_code, label, points) in enumerate(answers):
            first = index == 0
            table.append(
                [
                    code if first else None,
                    question if first else None,
                    answer_code,
                    label,
                    points,
                ]
            )
    for column, width in zip("ABCDE", (16, 60, 14, 50, 8), strict=True):
        table.column_dimensions[column].width = width
    info.column_dimensions["A"].width = 26
    info.column_dimensions["B"].width = 90
    workbook.save(OUT)
    print(OUT)


if __name__ == "__main__":
    main()
