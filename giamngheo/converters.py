"""URL converters: a year is four digits of this century, or the URL does not exist."""


class YearConverter:
    regex = "20[0-9]{2}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"
