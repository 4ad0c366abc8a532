"""Disputes: from a buyer's saved captures to a timeline, findings, an evidence checklist, an
escalation plan and complaint letters. Rules are tables (zh + en texts) read by small functions;
``service.build_dispute`` puts the parts together."""
