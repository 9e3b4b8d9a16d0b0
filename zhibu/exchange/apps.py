from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "zhibu.exchange"
    label = "exchange"
    verbose_name = "数据交换工作簿"
