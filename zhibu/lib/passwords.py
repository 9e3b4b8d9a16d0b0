"""Django's password validators with their messages in Chinese, whatever language is active.

Settings name these classes in AUTH_PASSWORD_VALIDATORS, so every password set — the web form, `zhibu account`,
`zhibu createadmin` — is checked the same way. Call ``check_password_for(password, username)`` where no user object
exists yet, so the similarity check still compares the password with the login name.
"""

from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码太短，至少需要 {self.min_length} 个字符", code="password_too_short")

    def get_help_text(self):
        return f"至少 {self.min_length} 个字符"


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    LABELS = {"username": "登录名", "first_name": "名字", "last_name": "姓氏", "email": "电子邮箱"}

    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError as error:
            attribute = (error.params or {}).get("verbose_name", "")
            label = next((label for key, label in self.LABELS.items() if str(attribute) in (key, _verbose(key))), "登录名")
            raise ValidationError(f"密码与{label}太相似，请换一个", code="password_too_similar") from None

    def get_help_text(self):
        return "不能与登录名相似"


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def validate(self, password, user=None):
        try:
            super().validate(password, user)
        except ValidationError:
            raise ValidationError("这个密码太常见，容易被猜到，请换一个", code="password_too_common") from None

    def get_help_text(self):
        return "不能是常见密码"


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def validate(self, password, user=None):
        if password.isdigit():
            raise ValidationError("密码不能全是数字", code="password_entirely_numeric")

    def get_help_text(self):
        return "不能全是数字"


def _verbose(field_name: str) -> str:
    try:
        return str(get_user_model()._meta.get_field(field_name).verbose_name)
    except Exception:
        return field_name


def check_password_for(password: str, username: str = "", user=None) -> None:
    """Raise ValidationError (Chinese messages) when the password may not be set for this login."""
    if user is None:
        user = get_user_model()(username=username)
    password_validation.validate_password(password, user)
