from django.urls import path

from communities.forum.consumers import CommunityForumConsumer, ThreadConsumer

websocket_urlpatterns = [
    path("ws/forum/thread/<int:thread_id>/", ThreadConsumer.as_asgi()),
    path("ws/forum/community/<int:community_id>/", CommunityForumConsumer.as_asgi()),
]
