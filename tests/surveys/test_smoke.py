from tests.surveys.conftest import *  # noqa


def test_smoke(app, client, make_ended, log_in):
    ended = make_ended()
    log_in(client, "kari@example.org")
    for url in (f"/manage/events/{ended.id}/survey", f"/manage/events/{ended.id}/survey/results"):
        r = client.get(url)
        assert r.status_code == 200, r.get_data(as_text=True)[:3000]
    tok = ended.token("ola@example.org")
    r = app.test_client().get(f"/r/{tok}/survey")
    assert r.status_code == 200, r.get_data(as_text=True)
    r = app.test_client().get(f"/r/{tok}")
    assert "Answer the survey" in r.get_data(as_text=True)
