from django.apps import AppConfig


class SpreadsheetsConfig(AppConfig):
    name = "armslength.spreadsheets"
    verbose_name = "Spreadsheet import"
