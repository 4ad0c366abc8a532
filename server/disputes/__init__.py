"""Disputes: the buyer's captures of an order arranged into a timeline, an escalation plan and
complaint letters. Every fact and judgement of the order (its times, windows, what each piece of
evidence documents and proves, the checklist, the findings) comes from ``server.risk.order``; this
package only arranges it, with the texts of ``server/rules/disputes.toml``."""
