from django.views.generic import TemplateView

from .models import Plan


class HomeView(TemplateView):
    """The front page: every plan with its period, state, number of initiatives and money."""

    template_name = "initiatives/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(plans=Plan.objects.for_home(), **kwargs)
