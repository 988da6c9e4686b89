"""Render the site: plan its pages, sign them, fill the templates, write them in workers."""
