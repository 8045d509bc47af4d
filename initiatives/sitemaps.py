"""The initiatives' list page in the sitemaps (see kraeftplan.sitemaps); each initiative's own
page is the dashboard's."""

PAGES = ["initiatives:initiative_list"]
