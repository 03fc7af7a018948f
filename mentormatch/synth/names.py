"""Synthetic names and IDs: people's names, community names, row IDs.

Names are common surnames and given-name characters drawn at random, never the names
of people in the seed article. Only the district has names (a region's rows are
numbered: names would cost memory and say nothing there).
"""

from __future__ import annotations

import numpy as np

__all__ = ["NameMaker", "place_name", "ids", "TYPE_SUFFIX"]

_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
_GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉萍红娥玲芬燕彩春菊兰凤洁梅琳素云莲"
    "真环雪荣爱妹霞香月莺媛瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡"
    "婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠"
    "柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽浩宇轩然泽文博天辰睿恒志斌俊鹏辉建国峰健良"
)
#: Names of people in the seed article: never generated.
_FORBIDDEN_NAMES = frozenset({"俞浩泉", "梁慧丽", "杨兆顺", "张群丽", "李红珍", "卢礼卿", "郭玥"})
_STEM_CHARS = "安宝长春大丰光广和华嘉金锦康乐丽林龙美明宁平庆仁瑞盛顺泰天祥新兴阳怡永友玉园云兆中志"
TYPE_SUFFIX = {
    "old_public_housing": ("新村", "一村", "二村", "三村"),
    "sold_public_housing": ("小区", "公房小区", "坊"),
    "resettlement": ("公寓", "家园", "苑"),
    "old_lane": ("里", "坊", "弄"),
    "commercial": ("花园", "苑", "城", "湾"),
    "mixed": ("居民区", "新苑", "社区"),
    "village": ("村",),
}


class NameMaker:
    """Unique synthetic Chinese names (2 or 3 characters).

    >>> names = NameMaker(np.random.default_rng(0))
    >>> a, b = names.person(), names.person()
    >>> a != b and 2 <= len(a) <= 3
    True
    """

    def __init__(self, rng: np.random.Generator):
        self.rng = rng
        self.used: set[str] = set(_FORBIDDEN_NAMES)

    def person(self) -> str:
        while True:
            surname = _SURNAMES[self.rng.integers(len(_SURNAMES))]
            k = 1 if self.rng.random() < 0.3 else 2
            given = "".join(_GIVEN[j] for j in self.rng.integers(len(_GIVEN), size=k))
            name = surname + given
            if name not in self.used:
                self.used.add(name)
                return name


def ids(prefix: str, n: int) -> list[str]:
    """``n`` IDs with a prefix, zero-padded to one width: ``S001`` ... ``S282``.

    >>> ids("S", 3), ids("C", 1000)[-1]
    (['S001', 'S002', 'S003'], 'C1000')
    """
    width = max(3, len(str(n)))
    return [f"{prefix}{i:0{width}d}" for i in range(1, n + 1)]


def place_name(rng: np.random.Generator, suffixes: tuple[str, ...], taken: set[str]) -> str:
    """A community name not yet ``taken``: two stem characters and a suffix of its type.

    >>> place_name(np.random.default_rng(0), ("新村",), set()).endswith("新村")
    True
    """
    for _ in range(10_000):
        a, b = rng.integers(len(_STEM_CHARS), size=2)
        if a == b:
            continue
        name = _STEM_CHARS[a] + _STEM_CHARS[b] + suffixes[rng.integers(len(suffixes))]
        if name not in taken:
            return name
    # Beyond a few thousand communities the stems run out: number them.
    return f"{_STEM_CHARS[rng.integers(len(_STEM_CHARS))]}{len(taken) + 1}{suffixes[0]}"
