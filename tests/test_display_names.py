"""A document without a title is shown by where it came from, not by a bare id:
a web page as its site and path ("fergana.media/news/134091", not "134091")."""

from nlp.text import file_name


def test_a_web_page_keeps_its_site():
    assert file_name("https://fergana.media/news/134091") == "fergana.media/news/134091"
    assert file_name("https://uzmetronom.agency/?p=141754") == "uzmetronom.agency/?p=141754"
    assert file_name("http://www.example.org/") == "example.org"


def test_a_long_web_path_keeps_the_site_and_its_last_part():
    url = "https://vlast.kz/english/60500-kazakhstans-re-exports-increase-aiding-sanctions-circumvention-eu.html"
    assert file_name(url) == "vlast.kz/…/60500-kazakhstans-re-exports-increase-aiding-sanctions-circumvention-eu.html"


def test_a_local_file_is_its_name():
    assert file_name("/data/corpus/news/vlast/2024-06-07_story.txt") == "2024-06-07_story.txt"
    assert file_name("C:\\data\\lists.csv") == "lists.csv"
    assert file_name(None) == ""
