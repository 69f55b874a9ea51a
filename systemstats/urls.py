from django.urls import path

from systemstats import views

urlpatterns = [
    path("system/stats", views.SystemStatsView.as_view()),
    path("system/status", views.SystemStatusView.as_view()),
    path("system/gpu", views.SystemGpuView.as_view()),
    path("system/info", views.SystemInfoView.as_view()),
    path("system/diagnostics", views.DiagnosticsView.as_view()),
    path("queue/status", views.QueueStatusView.as_view()),
    path("job/cancel", views.JobCancelView.as_view()),
    path("jobs/<str:task_id>", views.JobDetailView.as_view()),
    path("api-keys", views.ApiKeyListView.as_view()),
    path("api-keys/<str:key_id>", views.ApiKeyDetailView.as_view()),
    path("api-keys/<str:key_id>/revoke", views.ApiKeyRevokeView.as_view()),
]
