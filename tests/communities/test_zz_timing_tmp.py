import time
def test_seed(communities):
    pass
def test_factory(site_tree):
    from tests.factories import CommunityPageFactory
    t=time.time()
    a = CommunityPageFactory(parent=site_tree)
    b = CommunityPageFactory(parent=site_tree)
    print("factory", time.time()-t, a.url)
