"""The roster's commands: ``synth`` (a synthetic district), ``validate`` (check a
roster) and ``template`` (a blank roster to fill in).

Only the standard library and :mod:`mentormatch.errors` are imported here: each command
imports what it uses when it runs."""

from __future__ import annotations

import argparse

from mentormatch.cli._common import EXIT_OK, _check_out, _district, _pick


def _cmd_synth(args: argparse.Namespace) -> int:
    from mentormatch.io import save_district
    from mentormatch.synth import synthesize_district

    d = synthesize_district(
        seed=args.seed,
        n_secretaries=args.secretaries,
        n_mentors=args.mentors,
        n_bases=args.bases,
    )
    where = save_district(d, args.out)
    print(
        _pick(
            args,
            f"已将合成名册（随机种子 {args.seed}）写入 {where}",
            f"wrote a synthetic district (seed {args.seed}) to {where}",
        )
    )
    print(d.summary(args.lang))
    return EXIT_OK


def _cmd_validate(args: argparse.Namespace) -> int:
    d = _district(args)
    print(_pick(args, f"{args.path.name}：名册有效", f"{args.path}: valid"))
    print(d.summary(args.lang))
    if d.warnings:
        print(
            _pick(
                args,
                f"载入时有 {len(d.warnings)} 处按推测读取，见上方提示；请核对。",
                f"{len(d.warnings)} value(s) were read by guessing (see the warnings above); "
                "please check them.",
            )
        )
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from mentormatch.template import write_template

    _check_out(args)
    where = write_template(args.out, lang=args.lang)
    print(
        _pick(
            args,
            f"名册模板：{where}（填好后用 mentormatch validate 检查）",
            f"roster template: {where} (fill it in, then check it with mentormatch validate)",
        )
    )
    return EXIT_OK
