"""The sheets of the exchange workbook, in the order imports must read them (referenced names first)."""

from zhibu.exchange.sheets.activities import ActivitySheet
from zhibu.exchange.sheets.appraisal import AppraisalSheet
from zhibu.exchange.sheets.dues import DuesSheet
from zhibu.exchange.sheets.lists import ListItemSheet
from zhibu.exchange.sheets.membership import MembershipSheet
from zhibu.exchange.sheets.organisations import OrganisationSheet
from zhibu.exchange.sheets.people import PersonSheet
from zhibu.exchange.sheets.points import PointAdjustmentSheet

SHEETS = [
    OrganisationSheet, PersonSheet, MembershipSheet, ActivitySheet, ListItemSheet, DuesSheet, PointAdjustmentSheet,
    AppraisalSheet,
]
